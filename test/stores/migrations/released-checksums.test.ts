/**
 * Released migrations never change (docs/migrations.md): every database migrated with a file holds
 * its checksum and refuses to start when the text differs, so even a comment edit is an outage.
 * This table pins each released file's checksum; a new migration adds its row here, and an edit
 * to an old one fails this test before it fails a production start.
 */
import { describe, expect, it } from 'vitest';
import { loadMigrationFiles } from '../../../src/stores/migrations/files.ts';
import type { MigrationEngine, Namespace } from '../../../src/stores/migrations/namespaces.ts';
import { POSTGRES_MIGRATIONS_ROOT } from '../../../src/stores/postgres/migrator.ts';
import { SQLITE_MIGRATIONS_ROOT } from '../../../src/stores/sqlite/migrator.ts';

const RELEASED: Record<MigrationEngine, Record<Namespace, Record<string, string>>> = {
  POSTGRES: {
    dpm: {
      '0001': 'a6b8df1d95a34ede1cafa8c51fdc9c180833084a756210065b6254c63ac8d201',
      '0002': 'd223695b2577f019516b3a82560216ef66a1a8cb1421f42a14e071317edba573',
      '0003': '87c26475adc905996fd3a096391996a45230bdb53ec4234e80cb577710ef6e0d',
      '0004': 'e15473c806a57a44be9e7780a1a6f8d930f1d0fb610c655a9395f478443bf4c6',
      '0005': '46d2339cfe83344ebc3df5a06c3bea5bbb422523520802f7a2d463815b42d96d',
      '0006': '39222ef1e0cf1d02b525c38d0a9ccd25b2e534cef0f0ed0afee7ea165277d3cc',
      '0007': 'fb31b51177946b1b9a63f81fb00f7965bfa9d6402f7da97bd9daf8ff3afc916f',
    },
    proposals: {
      '0001': '1d869ed54f1d6ee92ce04172e50b1550442b5c418c76a6905ef73f53423f283f',
      '0002': 'd6986a35f3aee54432b546d8a748a6242ed9329ae3c120f5c2f1763427eeefb6',
      '0003': 'c490081c3a48237d35a52056fa31654e0ef8ed483bcf34d816d053930fe87041',
      '0004': '3b2848ef3f1981c4056f838b9fe140f87e62c7df52c685e76ae78c26b2895644',
      '0005': '826efd8f4c35cd83df4536d89089d3ddd6eef1d220e8a9ceaa8cbbc5a7f14af3',
      '0006': '52b0e189c02016cdea33b11915dd5b154a1c6a54823441ce5ca9b608b4e63800',
      '0007': 'b7b58ea2eef46e64ba503a3b78d619651fafe848c9d60ec7b9b7c1db4b95afbd',
    },
    policy_packs: {
      '0001': '184204206e02d87bcd9c3693b65720421b44daa4a50561eb100f3a7a21b2c5a4',
    },
  },
  SQLITE: {
    dpm: {
      '0001': 'a37aa934dd5b7c873dc6f9abab9ab8dd7c313dbe80eaeff8ffd8e2a664214772',
      '0002': '2696c09631943ddb81eb077f630107cb55d56b928a42de1bea8cbd72d2822cf0',
      '0003': '1b98b646c2c3d51747487c9318a28a9727f8d80a7b4127e88f488798ad8790d9',
      '0004': 'a4bd273238305b4728aaa7de288d612f1c74a00ce01cad657597eab12eff6974',
      '0005': '268efb7131f29fb640cc2a8294977e8aeaf0faf72ef1c15bf87737ccb70f297b',
    },
    proposals: {
      '0001': '3e8f202943d6783ecb3ca5b01edd0fe03269bd109f8fc2887f4f7c91bf67d09a',
      '0002': 'e86791ac010d163dab317934315d8644ebba10f9f60762298adab813ea5cce4b',
      '0003': '082d8b45dcc1a1d6d684bb641cf6b09f4da871a40949c5da58e88b7cdcde47c8',
      '0004': 'b88ed22c41f1c1770beeacacfef9bec40e0efc68cba6e53dfd00f10798945946',
      '0005': 'cc2a51dcf5327a059238c0247650a5c76500dcbf4719836ff775605a0eebcbae',
      '0006': 'afd833110bb098451aaac8eba56bfa7d6a352d0aa16f3f4c1386115ca3ad4536',
    },
    policy_packs: {
      '0001': 'c6db51afd9d68adb839c382e09d7fdf71cf9b750d4660118a2702d3a9cf38502',
    },
  },
};

const ROOTS: Record<MigrationEngine, string> = { POSTGRES: POSTGRES_MIGRATIONS_ROOT, SQLITE: SQLITE_MIGRATIONS_ROOT };

describe('released migrations', () => {
  for (const engine of Object.keys(RELEASED) as MigrationEngine[]) {
    for (const namespace of Object.keys(RELEASED[engine]) as Namespace[]) {
      it(`${engine} ${namespace}: every file is pinned and unchanged`, () => {
        const files = loadMigrationFiles(ROOTS[engine], namespace, engine);
        expect(Object.fromEntries(files.map((file) => [file.version, file.checksum]))).toEqual(RELEASED[engine][namespace]);
      });
    }
  }
});
