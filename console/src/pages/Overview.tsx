import { Page } from '../components/layout.tsx';

export function Overview() {
  return <Page title="Overview">TODO</Page>;
}
