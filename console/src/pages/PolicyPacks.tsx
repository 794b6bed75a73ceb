import { Page } from '../components/layout.tsx';

export function PolicyPacks() {
  return <Page title="PolicyPacks">TODO</Page>;
}
