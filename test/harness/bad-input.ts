/**
 * The bad-input corpus runner: one hostile or careless input, run through the CLI as an operator
 * would (no engine, no terminal), and everything a user could be hurt by measured — the exit
 * code, the words shown, a stack trace, every file outside `.netmigrate/` and in a decoy folder a
 * link may point at (sha256, link targets, modes), the time taken and the child's peak memory.
 * Memory is the child's max RSS as GNU time reports it (`/usr/bin/time -f '%M %U %S' -o <file>`);
 * time is the child's CPU time (user + system) from the same report, not the wall clock: the test
 * machines are shared and a loaded one stretches wall time tenfold, while an input that makes
 * netmigrate spin shows as CPU. A hang that spends no CPU (a FIFO read) is cut off by the wall
 * clock after `limits.wallMs` and reported as exit -1. Without GNU time, memory is -1 (not
 * judged) and time is the wall clock.
 */
import {spawn} from 'node:child_process';
import {
	cpSync,
	existsSync,
	lstatSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {sha256} from '../../source/hash.js';
import {repoRoot} from './engine.js';

export type BadInput = {
	name: string;
	category: 'outside-stack' | 'secrets' | 'crash-hang' | 'compose-verdict' | 'damaged-state' | 'vague' | 'race';
	/** Writes the input into `stack` (a fresh copy of examples/media-stack, with netmigrate.yml) and may point links at `decoy` (a folder outside the stack). */
	setup: (stack: string, decoy: string) => void;
	argv: string[];
	exit: number;
	/** Must match stdout+stderr: names the file/line or flag, and the fix. */
	message: RegExp;
};

export type BadInputResult = {exit: number; output: string; ms: number; maxRssKb: number; writesOutside: string[]};

export type Verdict = 'clear error' | 'vague' | 'crash-hang' | 'accepted-wrongly' | 'wrote-outside';

export const limits = {ms: 10_000, rssKb: 512 * 1024, wallMs: 60_000};

/** The source tree whose CLI runs: this one, or another checkout (to measure main's code) named by NETMIGRATE_BAD_INPUT_ROOT. */
const cliRoot = process.env.NETMIGRATE_BAD_INPUT_ROOT ?? repoRoot;
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

export async function runBadInput(input: BadInput): Promise<BadInputResult> {
	const scratch = mkdtempSync(path.join(tmpdir(), 'nm-bad-'));
	const stack = path.join(scratch, 'stack');
	const decoy = path.join(scratch, 'decoy');
	try {
		cpSync(path.join(repoRoot, 'examples/media-stack'), stack, {recursive: true});
		writeDecoy(decoy);
		input.setup(stack, decoy);
		const before = {stack: snapshot(stack, true), decoy: snapshot(decoy, false)};
		const rssFile = path.join(scratch, 'rss');
		const started = performance.now();
		const {exit, output} = await runCli(input.argv, stack, rssFile);
		const usage = readUsage(rssFile);
		const ms = usage?.cpuMs ?? Math.round(performance.now() - started);
		const after = {stack: snapshot(stack, true), decoy: snapshot(decoy, false)};
		const writesOutside = [
			...changed(before.stack, after.stack).map((file) => `stack/${file}`),
			...changed(before.decoy, after.decoy).map((file) => `decoy/${file}`),
		];
		return {exit, output, ms, maxRssKb: usage?.maxRssKb ?? -1, writesOutside};
	} finally {
		rmSync(scratch, {recursive: true, force: true});
	}
}

/** How an operator would judge the outcome, worst first. */
export function verdictOf(input: BadInput, result: BadInputResult): Verdict {
	if (result.exit < 0 || hasTrace(result.output) || result.ms > limits.ms || result.maxRssKb > limits.rssKb) return 'crash-hang';
	if (result.writesOutside.length > 0) return 'wrote-outside';
	if (result.exit === 0 && input.exit !== 0) return 'accepted-wrongly';
	if (result.exit !== input.exit || !input.message.test(result.output)) return 'vague';
	return 'clear error';
}

export function hasTrace(output: string): boolean {
	return /^ {4}at /m.test(output) || /unexpected failure/.test(output);
}

/** A folder outside the stack holding what an attacker would aim a link at: a secret, a private folder, a system-like file. */
function writeDecoy(decoy: string): void {
	mkdirSync(path.join(decoy, 'private'), {recursive: true, mode: 0o750});
	writeFileSync(path.join(decoy, 'secret.env'), 'DB_PASSWORD=decoy-S3CRET\n', {mode: 0o640});
	writeFileSync(path.join(decoy, 'private', 'notes.txt'), "not netmigrate's\n", {mode: 0o644});
	writeFileSync(path.join(decoy, 'compose-target.yml'), readFileSync(path.join(repoRoot, 'examples/media-stack/docker-compose.yml')), {
		mode: 0o644,
	});
}

/**
 * Every entry under `root` (links not followed): a file's sha256, a link's target, a folder's
 * presence — with modes for the decoy. `.netmigrate` at the stack's top is skipped: it is the
 * one place a run may write (when it is a link, the decoy's own snapshot sees what went there).
 */
function snapshot(root: string, skipState: boolean): Map<string, string> {
	const entries = new Map<string, string>();
	const walk = (folder: string) => {
		for (const name of readdirSync(folder)) {
			const full = path.join(folder, name);
			const relative = path.relative(root, full);
			if (skipState && relative === '.netmigrate') continue;
			const stat = lstatSync(full);
			const mode = skipState ? '' : ` ${(stat.mode & 0o7777).toString(8)}`;
			if (stat.isSymbolicLink()) entries.set(relative, `link ${readlinkSync(full)}`);
			else if (stat.isDirectory()) {
				entries.set(relative, `folder${mode}`);
				walk(full);
			} else if (stat.isFile()) entries.set(relative, `${sha256(readFileSync(full))}${mode}`);
			else entries.set(relative, `special${mode}`);
		}
	};
	entries.set('.', skipState ? 'folder' : `folder ${(lstatSync(root).mode & 0o7777).toString(8)}`);
	walk(root);
	return entries;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
	const names = new Set([...before.keys(), ...after.keys()]);
	return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

function runCli(argv: string[], cwd: string, rssFile: string): Promise<{exit: number; output: string}> {
	const node = [
		process.execPath,
		'--import',
		pathToFileURL(path.join(cliRoot, 'node_modules/tsx/dist/loader.mjs')).href,
		path.join(cliRoot, 'source/cli.ts'),
		...argv,
	];
	const [command, ...args] = gnuTime ? [gnuTime, '-f', '%M %U %S', '-o', rssFile, ...node] : node;
	const env = {
		PATH: process.env.PATH ?? '/usr/bin:/bin',
		HOME: process.env.HOME ?? '/root',
		DOCKER_HOST: 'unix:///nonexistent/docker.sock',
		NO_COLOR: '1',
		TSX_TSCONFIG_PATH: path.join(cliRoot, 'tsconfig.test.json'),
	};
	return new Promise((resolve) => {
		const child = spawn(command as string, args, {cwd, env, stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		// A hang that spends no CPU never reaches the CPU limit: the wall clock cuts it off.
		const timer = setTimeout(() => child.kill('SIGKILL'), limits.wallMs);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			// GNU time reports a killed child as "Command terminated by signal N" and exits 128+N.
			const killed = signal !== null || /Command terminated by signal/.test(output);
			resolve({exit: killed ? -1 : (code ?? -1), output: output.replace(/^Command exited with non-zero status \d+\n?/m, '')});
		});
	});
}

/** The child's peak memory and CPU time, from GNU time's report (its last line: `%M %U %S`). */
function readUsage(file: string): {maxRssKb: number; cpuMs: number} | undefined {
	try {
		const [rss, user, system] = readFileSync(file, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
		if (rss === undefined || user === undefined || system === undefined || [rss, user, system].some((value) => !Number.isFinite(value)))
			return undefined;
		return {maxRssKb: rss, cpuMs: Math.round((user + system) * 1000)};
	} catch {
		return undefined;
	}
}
