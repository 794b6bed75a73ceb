import { Page } from '../components/layout.tsx';
import { links } from '../links.ts';

export function NotFound() {
  return (
    <Page title="No such page">
      <p>
        This address is not a page of the console. Start from the <a href={links.overview()}>overview</a> or the <a href={links.runs()}>runs</a>.
      </p>
    </Page>
  );
}
