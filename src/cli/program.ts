import { Command } from 'commander';
import { cutoverCheckCommand } from './cutover-check.ts';
import { migrateCommand } from './migrate.ts';
import { serveCommand } from './serve.ts';
import { simulateCommand } from './simulate.ts';

export function buildProgram(): Command {
  return new Command('dpm-rebalance-service')
    .description('DPM rebalance and advisory proposal service')
    .addCommand(serveCommand(), { isDefault: true })
    .addCommand(simulateCommand())
    .addCommand(migrateCommand())
    .addCommand(cutoverCheckCommand());
}
