import { Command, type CommanderError } from 'commander';
import { versionText } from '../app/build-info.ts';
import { cutoverCheckCommand } from './cutover-check.ts';
import { EX_USAGE } from './exit-codes.ts';
import { migrateCommand } from './migrate.ts';
import { serve, serveCommand } from './serve.ts';
import { simulateCommand } from './simulate.ts';

/**
 * Commander prints its own usage errors (unknown option, missing argument, conflicting options)
 * and exits 1; a wrong command line is EX_USAGE (64) in sysexits, as our unknown-command error is,
 * so scripts can tell it from a run that failed. --help and --version keep exit 0.
 */
function usageErrorsExit64(command: Command): void {
  command.exitOverride((error: CommanderError) => process.exit(error.exitCode === 0 ? 0 : EX_USAGE));
}

/**
 * The one CLI. With no command it serves (what `npm start` and the container run); any other
 * first word must be a command, so a typo is an error that names it and lists the commands
 * instead of becoming an argument of `serve`.
 */
export function buildProgram(): Command {
  const program = new Command('dpm-rebalance-service')
    .description('DPM rebalance and advisory proposal service (no command: serve)')
    .version(versionText(), '-V, --version', 'print the version (and the git commit when known)')
    .addCommand(serveCommand())
    .addCommand(simulateCommand())
    .addCommand(migrateCommand())
    .addCommand(cutoverCheckCommand());
  const names = program.commands.map((command) => command.name());
  for (const command of [program, ...program.commands]) usageErrorsExit64(command);
  return program
    .usage('[options] [command]')
    .argument('[command]')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(async (command: string | undefined, _options: unknown, self: Command) => {
      if (command === undefined && self.args.length === 0) return serve();
      const word = command ?? String(self.args[0]);
      const what = word.startsWith('-') ? 'option' : 'command';
      process.stderr.write(`CLI_UNKNOWN_COMMAND: unknown ${what} '${word}'. Commands: ${names.join(', ')} (see --help).\n`);
      process.exitCode = EX_USAGE;
    });
}
