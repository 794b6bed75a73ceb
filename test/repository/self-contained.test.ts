/**
 * The repository stands on its own (docs/architecture.md#conventions): no tracked file refers to
 * material outside the clone — the reference's folder beside it, the reference's section or
 * weak-point numbers, issue numbers — and every `docs/<file>.md#<anchor>` a file cites, and every
 * anchor a Markdown link points at, is a heading of that document.
 *
 * Scanned: the files `git ls-files` lists, except `.ci/` (the machinery around the repository),
 * `test/fixtures/` (data copied in as it was published) and two applied migrations whose text is
 * frozen by their checksums.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';

const EXCLUDED = [
  '.ci/',
  'test/fixtures/',
  // Applied migrations are frozen: every migrated database holds their checksum, so even a comment
  // edit would refuse to start (docs/migrations.md). These two predate this guard.
  'src/stores/postgres/migrations/proposals/0001_baseline.sql',
  'src/stores/postgres/migrations/proposals/0002_simulation_idempotency.sql',
];

interface TextFile {
  readonly path: string;
  readonly lines: readonly string[];
}

function trackedTextFiles(): TextFile[] {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  return listed
    .filter((path) => !EXCLUDED.some((prefix) => path.startsWith(prefix)))
    .flatMap((path) => {
      let text: string;
      try {
        text = readFileSync(join(REPO_ROOT, path), 'utf8');
      } catch {
        return []; // listed but deleted in the work tree: nothing to scan
      }
      return text.includes('\0') ? [] : [{ path, lines: text.split('\n') }];
    });
}

/**
 * What must not appear, each spelled in pieces so this file does not match itself. The RFC that
 * docs/runbook-cutover.md explains (0025) may be named; other RFC and ADR numbers belong to the
 * reference and are not in the clone.
 */
const FORBIDDEN: readonly { readonly rule: string; readonly pattern: RegExp }[] = [
  { rule: 'the folder beside the clone', pattern: new RegExp(['\\.\\.', 'shared'].join('/')) },
  { rule: 'the workshop folder', pattern: new RegExp(['', 'work', 'shared'].join('/')) },
  { rule: 'a reference section', pattern: new RegExp(['spec', '\u00a7'].join('\\s+'), 'i') },
  { rule: 'a section number', pattern: new RegExp('\u00a7\\s*\\d') },
  { rule: 'a weak-point number', pattern: new RegExp(['weak', 'points?'].join('\\s+'), 'i') },
  { rule: 'an issue number', pattern: new RegExp(['\\bissues?', '#\\s*\\d+'].join('\\s*'), 'i') },
  { rule: 'a reference RFC', pattern: new RegExp(['\\bRFC', '(?!0025\\b)\\d{4}'].join('-')) },
  { rule: 'a reference ADR', pattern: new RegExp(['\\bADR', '\\d{3,4}'].join('-')) },
];

function forbiddenMentions(files: readonly TextFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    file.lines.forEach((line, i) => {
      for (const { rule, pattern } of FORBIDDEN) {
        if (pattern.test(line)) found.push(`${file.path}:${i + 1}: ${rule}: ${line.trim().slice(0, 120)}`);
      }
    });
  }
  return found;
}

/**
 * GitHub's heading anchor: the rendered text lower-cased, every character that is not a letter,
 * digit, space, hyphen or underscore dropped, spaces turned into hyphens.
 */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link renders as its text
    .replace(/<[^>]+>/g, ''); // inline HTML renders as nothing
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown document, duplicates numbered as GitHub does (`x`, `x-1`, `x-2`). */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined) {
      if (fence === null) fence = marker[0] ?? null;
      else if (marker[0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

interface AnchorCitation {
  readonly where: string;
  /** Repository-relative path of the cited Markdown file. */
  readonly target: string;
  readonly anchor: string;
}

/** `docs/<file>.md#<anchor>` anywhere (relative to the root), and Markdown links `(<path>.md#<anchor>)` / `(#<anchor>)` in .md files. */
function anchorCitations(files: readonly TextFile[]): AnchorCitation[] {
  const citations: AnchorCitation[] = [];
  for (const file of files) {
    const isMarkdown = file.path.endsWith('.md');
    file.lines.forEach((line, i) => {
      const where = `${file.path}:${i + 1}`;
      for (const m of line.matchAll(/(?<![\w./-])(docs\/[\w.-]+\.md)#([\w-]+)/g)) {
        citations.push({ where, target: m[1] ?? '', anchor: m[2] ?? '' });
      }
      if (!isMarkdown) return;
      for (const m of line.matchAll(/\]\(([^)\s#]*)#([^)\s]+)\)/g)) {
        const linked = m[1] ?? '';
        if (linked.includes('://') || (linked !== '' && !linked.endsWith('.md'))) continue;
        const target = linked === '' ? file.path : normalize(join(dirname(file.path), linked)).replace(/\\/g, '/');
        citations.push({ where, target, anchor: m[2] ?? '' });
      }
    });
  }
  return citations;
}

function unresolvedAnchors(files: readonly TextFile[]): string[] {
  const documents = new Map(files.filter((f) => f.path.endsWith('.md')).map((f) => [f.path, headingAnchors(f.lines.join('\n'))]));
  return anchorCitations(files).flatMap(({ where, target, anchor }) => {
    const anchors = documents.get(target);
    if (anchors === undefined) return [`${where}: ${target}#${anchor} — no such tracked document`];
    return anchors.has(anchor) ? [] : [`${where}: ${target}#${anchor} — no heading with that anchor`];
  });
}

describe('the repository stands on its own', () => {
  const files = trackedTextFiles();

  it('scans the tracked files', () => {
    const paths = files.map((f) => f.path);
    expect(paths).toContain('README.md');
    expect(paths).toContain('src/domain/dpm/pipeline.ts');
    expect(paths.some((p) => EXCLUDED.some((prefix) => p.startsWith(prefix)))).toBe(false);
  });

  it('refers to nothing outside the clone', () => {
    expect(forbiddenMentions(files), 'file:line: what must not be cited').toEqual([]);
  });

  it('cites only anchors that exist', () => {
    expect(unresolvedAnchors(files), 'file:line: cited anchor').toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('catch each kind of outside reference', () => {
    const sample = [
      ['see', ['..', 'shared', 'spec', 'x.md'].join('/')].join(' '),
      ['per spec', '\u00a73.7'].join(' '),
      ['weak', 'point 11'].join(' '),
      ['fixed in issue', '#17'].join(' '),
      ['RFC', '0014E'].join('-'),
      ['RFC', '0025 stays allowed'].join('-'),
    ];
    const found = forbiddenMentions([{ path: 'sample.ts', lines: sample }]);
    expect(found.map((f) => f.split(': ')[1])).toEqual([
      'the folder beside the clone',
      'a reference section',
      'a section number',
      'a weak-point number',
      'an issue number',
      'a reference RFC',
    ]);
  });

  it('compute anchors as GitHub does', () => {
    expect(githubSlug('Persistence profiles (RFC-0025)')).toBe('persistence-profiles-rfc-0025');
    expect(githubSlug('HTTP API: persisted simulate (`npm run bench:api`)')).toBe('http-api-persisted-simulate-npm-run-benchapi');
    expect(githubSlug('Catalog backends (`DPM_POLICY_PACK_CATALOG_BACKEND`)')).toBe('catalog-backends-dpm_policy_pack_catalog_backend');
    expect(githubSlug('After-state and rules')).toBe('after-state-and-rules');
    expect(githubSlug('See [the runbook](runbook.md)')).toBe('see-the-runbook');
    const anchors = headingAnchors(['# Title', '## Routes', '```sh', '# not a heading', '```', '## Routes'].join('\n'));
    expect([...anchors]).toEqual(['title', 'routes', 'routes-1']);
  });

  it('find a cited anchor that does not exist', () => {
    // Spelled in pieces: this file's own citations are checked too.
    const cite = (anchor: string): string => ['docs/sample.md', anchor].join('#');
    const doc = { path: 'docs/sample.md', lines: ['# Sample', '## Present', `See [here](${['', 'absent'].join('#')}).`] };
    const code = { path: 'src/x.ts', lines: [`// ${cite('present')}`, `// ${cite('missing')}`, `// ${['docs/none.md', 'x'].join('#')}`] };
    expect(unresolvedAnchors([doc, code])).toEqual([
      `docs/sample.md:3: ${cite('absent')} — no heading with that anchor`,
      `src/x.ts:2: ${cite('missing')} — no heading with that anchor`,
      `src/x.ts:3: ${['docs/none.md', 'x'].join('#')} — no such tracked document`,
    ]);
  });
});
