import { Page } from '../components/layout.tsx';

export function Proposals() {
  return <Page title="Proposals">TODO</Page>;
}
