/**
 * Entry point: parse arguments, then run a headless command or (on a TTY) the wizard.
 * Kept light: heavy modules (Ink, dockerode, yaml) load only for the command that needs them,
 * so `--help` and `--version` answer at once.
 */
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {exitCodeOf, formatError} from './errors.js';

const usage = `netmigrate — re-segment a running docker-compose stack onto new networks, one safe iteration at a time

Usage:
  netmigrate                      open the wizard (needs a terminal)
  netmigrate demo                 the wizard on a private engine running the bundled example stack

Options:
  -h, --help                      show this help
  -v, --version                   print the version
`;

function version(): string {
	const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
	return manifest.version;
}

async function main(argv: string[]): Promise<number> {
	const {values, positionals} = parseArgs({
		args: argv,
		allowPositionals: true,
		strict: true,
		options: {help: {type: 'boolean', short: 'h'}, version: {type: 'boolean', short: 'v'}},
	});
	if (values.help) {
		process.stdout.write(usage);
		return 0;
	}
	if (values.version) {
		process.stdout.write(`${version()}\n`);
		return 0;
	}
	const [command] = positionals;
	if (command === undefined || command === 'demo') {
		process.stderr.write('The wizard is not built yet (it lands with the wizard issue); `npm test` shows what works today.\n');
		return 2;
	}
	process.stderr.write(`error: unknown command ${command}\n\n${usage}`);
	return 2;
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`${formatError(error)}\n`);
		process.exitCode = exitCodeOf(error);
	},
);
