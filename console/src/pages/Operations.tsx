import { Page } from '../components/layout.tsx';

export function Operations() {
  return <Page title="Operations">TODO</Page>;
}
