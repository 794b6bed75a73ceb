import { Page } from '../components/layout.tsx';

export function Simulate() {
  return <Page title="Simulate">TODO</Page>;
}
