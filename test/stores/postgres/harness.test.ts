import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../../support/postgres.ts';

describe('test harness', () => {
  it('gives a fresh, empty database on a real PostgreSQL server', async () => {
    const database = await freshDatabase();
    const client = new pg.Client({ connectionString: database.dsn });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string; db: string; tables: string }>(
        "SELECT version(), current_database() AS db, (SELECT count(*) FROM pg_tables WHERE schemaname = 'public') AS tables",
      );
      expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
      expect(rows[0]?.db).toBe(database.name);
      expect(rows[0]?.tables).toBe('0');
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
