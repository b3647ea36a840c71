/**
 * The command line, read strictly: every option at most once (a second `--iteration` or
 * `--plan` is a mistake, not a silent override), no argument a command does not take, an
 * iteration number written as a plain decimal (`0x2`, `1e0`, `-1` are refused, not read as 2, 1
 * or an "ambiguous" option), and the names compose itself checks (`-p`, `--profile`) checked as
 * compose checks them. Each refusal names the flag or the word and the fix.
 */
import {parseArgs} from 'node:util';
import {NetmigrateError} from '../errors.js';

type OptionSpec = {type: 'string' | 'boolean'; short?: string; multiple?: boolean};

/** How many positional arguments each command takes after its name: `force-unlock ID`, `apply [SAVED-PLAN]`, `export nomad`, `config set KEY VALUE`. */
const positionalCounts: Record<string, number> = {'force-unlock': 1, apply: 1, export: 1, config: 3};

export function parseCommandLine<T extends Record<string, OptionSpec>>(argv: string[], options: T) {
	const args = joinNegativeValues(argv, options);
	let parsed;
	try {
		parsed = parseArgs({args, allowPositionals: true, strict: true, options, tokens: true});
	} catch (error) {
		const message = (error as Error).message.split('\n')[0] ?? 'bad arguments';
		const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
		if (unknown) {
			const near = closest(unknown.replace(/^-+/, '').split('=')[0] ?? '', Object.keys(options));
			throw new NetmigrateError(`unknown option ${unknown}`, {
				code: 'bad-input',
				hint: near ? `did you mean --${near}? (see \`netmigrate --help\`)` : 'see `netmigrate --help` for the options',
			});
		}
		const noValue = /^Option '([^']+)' does not take an argument/.exec(message)?.[1]?.replace(/^-\w, /, '');
		if (noValue)
			throw new NetmigrateError(`${noValue} takes no value`, {
				code: 'bad-input',
				hint: `give ${noValue} alone to turn it on, or leave it out`,
			});
		throw new NetmigrateError(message, {code: 'bad-input', hint: 'see `netmigrate --help` for the options'});
	}
	const seen = new Map<string, string>();
	for (const token of parsed.tokens ?? []) {
		if (token.kind !== 'option' || options[token.name]?.multiple) continue;
		const earlier = seen.get(token.name);
		if (earlier !== undefined) {
			throw new NetmigrateError(`--${token.name} is given more than once (${earlier} and ${token.rawName})`, {
				code: 'bad-input',
				hint: `give --${token.name} once; netmigrate does not guess which one you meant`,
			});
		}
		seen.set(token.name, token.rawName);
	}
	const [command, ...rest] = parsed.positionals;
	const allowed = positionalCounts[command ?? ''] ?? 0;
	if (rest.length > allowed) {
		const extra = rest[allowed] as string;
		throw new NetmigrateError(
			`unexpected argument ${JSON.stringify(extra)}: \`netmigrate ${command}\` takes ${allowed === 0 ? 'no argument' : `${allowed} argument`}`,
			{
				code: 'bad-input',
				hint: /^\d+$/.test(extra)
					? `to choose an iteration, write --iteration ${extra}`
					: 'see `netmigrate --help`; options start with --',
			},
		);
	}
	return parsed;
}

/** `--iteration -1`: Node's parser calls a value that starts with `-` ambiguous; a negative number is a value (and refused as one). */
function joinNegativeValues(argv: string[], options: Record<string, OptionSpec>): string[] {
	const result: string[] = [];
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index] as string;
		const next = argv[index + 1];
		const name = arg.startsWith('--')
			? arg.slice(2)
			: Object.entries(options).find(([, spec]) => spec.short !== undefined && `-${spec.short}` === arg)?.[0];
		if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
			result.push(`--${name}=${next}`);
			index++;
		} else result.push(arg);
	}
	return result;
}

/** An iteration number: a plain decimal from 1 (no sign, no leading zero, no hex, exponent or fraction). */
export function iterationNumber(given: string | undefined): number | undefined {
	if (given === undefined) return undefined;
	if (!/^[1-9][0-9]{0,5}$/.test(given)) {
		throw new NetmigrateError(`--iteration ${given} is not an iteration number`, {
			code: 'bad-input',
			hint: 'iterations are numbered from 1, written as a plain number: --iteration 2',
		});
	}
	return Number(given);
}

/** Compose's own rules for `-p` and `--profile`, so a name compose would refuse is refused before anything runs. */
export function checkComposeNames(projectName: string | undefined, profiles: string[]): void {
	if (projectName !== undefined && !/^[a-z0-9][a-z0-9_-]*$/.test(projectName)) {
		throw new NetmigrateError(`-p/--project-name ${JSON.stringify(projectName)} is not a compose project name`, {
			code: 'bad-input',
			hint: 'compose project names are lowercase letters, digits, `-` and `_`, starting with a letter or digit',
		});
	}
	for (const profile of profiles.flatMap((item) => item.split(',')).map((item) => item.trim())) {
		if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(profile)) {
			throw new NetmigrateError(`--profile ${JSON.stringify(profile)} is not a compose profile name`, {
				code: 'bad-input',
				hint: 'profile names are letters, digits, `_`, `.` and `-`, at least two characters, starting with a letter or digit',
			});
		}
	}
}

/** The known word nearest to `word` (at most two edits away), if any. */
export function closest(word: string, known: string[]): string | undefined {
	let best: {name: string; distance: number} | undefined;
	for (const name of known) {
		const distance = editDistance(word, name);
		if (distance <= 2 && (!best || distance < best.distance)) best = {name, distance};
	}
	return best?.name;
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++)
			current[j] = Math.min(
				(previous[j] as number) + 1,
				(current[j - 1] as number) + 1,
				(previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
		previous = current;
	}
	return previous[b.length] as number;
}
