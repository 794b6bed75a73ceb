import { Page } from '../components/layout.tsx';

export function ProposalPage() {
  return <Page title="ProposalPage">TODO</Page>;
}
