/**
 * The bad-input corpus's runner: one hostile or careless input (a plan, compose file, `.env`,
 * state folder or command line) written into a fresh copy of the example stack, netmigrate run
 * on it as an operator runs the installed CLI (the bin executed through its own `#!` line, no
 * engine, no terminal), and everything observable collected: exit code, output, time, peak
 * memory, and every byte written outside `.netmigrate/` (the stack's files and a decoy folder a
 * link may point at are hashed before and after). `verdictOf` sorts a result into the issue's
 * verdicts (clear error, vague, crash-hang, …) so the corpus can be counted before and after a
 * fix. Peak memory is the CLI process's own `process.resourceUsage().maxRSS`, written at exit by
 * a preload passed in NODE_OPTIONS (so a re-executed child reports too); a process that never
 * reaches exit (killed at the time limit) counts as a hang whatever its memory.
 */
import {spawn, execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
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
	statSync,
	writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {exampleStack, repoRoot} from './engine.js';

export type BadInput = {
	name: string;
	category: 'outside-stack' | 'secrets' | 'crash-hang' | 'compose-verdict' | 'damaged-state' | 'vague' | 'race';
	/** Writes the input into `stack` (a fresh copy of examples/media-stack, with netmigrate.yml) and may point links at `decoy` (a folder outside the stack). */
	setup: (stack: string, decoy: string) => void;
	argv: string[];
	exit: number;
	message: RegExp;
	/** Secrets planted by setup that must appear nowhere: stdout, stderr, .netmigrate/ logs and reports. */
	secrets?: string[];
};

/** `ms`: wall-clock time; `cpuMs`: the CLI's own CPU time (user + system), which a loaded machine does not inflate. */
export type BadInputResult = {
	exit: number;
	cpuMs: number;
	output: string;
	ms: number;
	maxRssKb: number;
	writesOutside: string[];
	secretsShown: string[];
	timedOut: boolean;
};

/**
 * Per input: 10 s of CPU and 512 MB of memory. The wall clock only kills a hang (30 s): on this
 * 2-core machine shared by many sessions (load averages of 80 were seen) an input that needs
 * 0.3 s of CPU can take 10 s of wall time, so the wall clock cannot be the 10 s bound.
 */
export const limits = {cpuMs: 10_000, killMs: 30_000, rssKb: 512 * 1024};

/** The CLI under test: this checkout's bin, or another's (NETMIGRATE_BAD_INPUT_BIN, to measure an older build). */
export const badInputBin = process.env.NETMIGRATE_BAD_INPUT_BIN ?? path.join(repoRoot, 'bin/netmigrate.js');

const scratch = mkdtempSync(path.join(tmpdir(), 'netmigrate-bad-input-'));
const rssProbe = path.join(scratch, 'rss-probe.cjs');
writeFileSync(
	rssProbe,
	"process.on('exit', () => { const file = process.env.NETMIGRATE_TEST_RSS_FILE; if (file) { const usage = process.resourceUsage(); require('node:fs').appendFileSync(file, usage.maxRSS + ' ' + Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000) + '\\n'); } });\n",
);

/** Builds dist/bundle when it is missing or older than a source file, as `npm run build` would (unit runs do not build). */
export function ensureBuilt(): void {
	if (process.env.NETMIGRATE_BAD_INPUT_BIN) return;
	const bundle = path.join(repoRoot, 'dist/bundle/cli.js');
	const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
	const newest = Math.max(...['source', 'steps', 'state', 'bin'].map((folder) => newestIn(path.join(repoRoot, folder))));
	if (newest > built) execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], {cwd: repoRoot, stdio: 'inherit'});
}

function newestIn(folder: string): number {
	let newest = 0;
	for (const entry of readdirSync(folder, {withFileTypes: true, recursive: true})) {
		if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
	}
	return newest;
}

/** sha256 of every entry under `root` without following links (a link is its target's name, a FIFO or device its kind), `skip` left out. */
export function entryHashes(root: string, skip?: string): Map<string, string> {
	const hashes = new Map<string, string>();
	const visit = (folder: string) => {
		for (const name of readdirSync(folder)) {
			const full = path.join(folder, name);
			const relative = path.relative(root, full);
			if (relative === skip) continue;
			const info = lstatSync(full);
			if (info.isSymbolicLink()) hashes.set(relative, `link ${readlinkSync(full)}`);
			else if (info.isDirectory()) {
				hashes.set(relative, `dir ${(info.mode & 0o7777).toString(8)}`);
				if (info.mode & 0o400) visit(full);
			} else if (info.isFile()) {
				const content = info.size <= 200 * 1024 * 1024 ? readFileSync(full) : Buffer.from(`size ${info.size}`);
				hashes.set(relative, `file ${(info.mode & 0o7777).toString(8)} ${createHash('sha256').update(content).digest('hex')}`);
			} else hashes.set(relative, `special ${info.mode.toString(8)}`);
		}
	};
	visit(root);
	return hashes;
}

function changed(before: Map<string, string>, after: Map<string, string>, label: string): string[] {
	const names = new Set([...before.keys(), ...after.keys()]);
	return [...names].filter((name) => before.get(name) !== after.get(name)).map((name) => `${label}/${name}`);
}

/** Every text file netmigrate keeps under `.netmigrate/` but the backups (which hold the operator's files, secrets included, by design). */
function stateTexts(stack: string): string {
	const folder = path.join(stack, '.netmigrate');
	let info;
	try {
		info = lstatSync(folder);
	} catch {
		return '';
	}
	if (!info.isDirectory()) return '';
	const texts: string[] = [];
	const visit = (at: string) => {
		for (const entry of readdirSync(at, {withFileTypes: true})) {
			const full = path.join(at, entry.name);
			if (entry.isDirectory() && !(at === folder && entry.name === 'backups')) visit(full);
			else if (entry.isFile() && lstatSync(full).size < 10 * 1024 * 1024) texts.push(readFileSync(full, 'utf8'));
		}
	};
	try {
		visit(folder);
	} catch {
		// An unreadable state folder (the input made it so) has nothing netmigrate wrote to show.
	}
	return texts.join('\n');
}

/** Runs one input in a fresh stack copy; removes the copy afterwards. */
export async function runBadInput(input: BadInput): Promise<BadInputResult> {
	const base = mkdtempSync(path.join(scratch, 'case-'));
	const stack = path.join(base, 'stack');
	const decoy = path.join(base, 'decoy');
	const home = path.join(base, 'home');
	cpSync(exampleStack, stack, {recursive: true});
	mkdirSync(decoy);
	mkdirSync(home);
	writeFileSync(path.join(decoy, 'precious.txt'), 'a file outside the stack that netmigrate must never touch\n');
	// What an attacker would aim a link at: a secret, a private folder, a compose file (the state-folder cases link to these).
	mkdirSync(path.join(decoy, 'private'), {recursive: true, mode: 0o750});
	writeFileSync(path.join(decoy, 'secret.env'), 'DB_PASSWORD=decoy-S3CRET\n', {mode: 0o640});
	writeFileSync(path.join(decoy, 'private', 'notes.txt'), "not netmigrate's\n", {mode: 0o644});
	writeFileSync(path.join(decoy, 'compose-target.yml'), readFileSync(path.join(exampleStack, 'docker-compose.yml')), {mode: 0o644});
	try {
		input.setup(stack, decoy);
		const before = {stack: entryHashes(stack, '.netmigrate'), decoy: entryHashes(decoy)};
		const rssFile = path.join(base, 'rss');
		const started = performance.now();
		const run = await spawnCli(input.argv, stack, {
			PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
			HOME: home,
			DOCKER_HOST: 'unix:///nonexistent/docker.sock',
			NO_COLOR: '1',
			NODE_OPTIONS: `--require ${rssProbe}`,
			NETMIGRATE_TEST_RSS_FILE: rssFile,
		});
		const ms = Math.round(performance.now() - started);
		const usage = existsSync(rssFile)
			? readFileSync(rssFile, 'utf8')
					.trim()
					.split('\n')
					.map((line) => line.split(' ').map(Number))
			: [];
		const writesOutside = [
			...changed(before.stack, entryHashes(stack, '.netmigrate'), 'stack'),
			...changed(before.decoy, entryHashes(decoy), 'decoy'),
		];
		const shown = `${run.output}\n${stateTexts(stack)}`;
		const secretsShown = (input.secrets ?? []).filter((secret) => shown.includes(secret));
		return {
			exit: run.exit,
			output: run.output,
			ms,
			cpuMs: usage.reduce((total, [, cpu]) => total + (cpu ?? 0), 0),
			maxRssKb: Math.max(0, ...usage.map(([rss]) => rss ?? 0)),
			writesOutside,
			secretsShown,
			timedOut: run.timedOut,
		};
	} finally {
		rmSync(base, {recursive: true, force: true});
	}
}

/** The bin run through its own `#!` line, as an installed `netmigrate` is; killed (its whole group) at the time limit. */
function spawnCli(argv: string[], cwd: string, env: Record<string, string>): Promise<{exit: number; output: string; timedOut: boolean}> {
	return new Promise((resolve) => {
		const child = spawn(badInputBin, argv, {cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true});
		const chunks: Buffer[] = [];
		let size = 0;
		const collect = (chunk: Buffer) => {
			if (size < 4 * 1024 * 1024) chunks.push(chunk);
			size += chunk.length;
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			try {
				process.kill(-(child.pid as number), 'SIGKILL');
			} catch {
				// Already gone.
			}
		}, limits.killMs);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({
				exit: code ?? (signal ? 128 + (signalNumbers[signal] ?? 0) : -1),
				output: Buffer.concat(chunks).toString('utf8'),
				timedOut,
			});
		});
	});
}

const signalNumbers: Record<string, number> = {SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15};

export type Verdict = 'clear error' | 'vague' | 'crash-hang' | 'accepted-but-compose-refuses' | 'wrote-outside' | 'secret-shown';

export const stackTrace = /\n\s+at .*(:\d+:\d+|\(native\))|unexpected failure|FATAL ERROR|Maximum call stack/;

/** What the issue calls the outcome: the worst thing that happened first. */
export function verdictOf(input: BadInput, result: BadInputResult): Verdict {
	if (
		result.timedOut ||
		result.cpuMs > limits.cpuMs ||
		result.maxRssKb > limits.rssKb ||
		result.exit > 100 ||
		/FATAL ERROR|std::bad_alloc|Maximum call stack/.test(result.output)
	)
		return 'crash-hang';
	if (result.writesOutside.length > 0) return 'wrote-outside';
	if (result.secretsShown.length > 0) return 'secret-shown';
	if (result.exit === 0 && input.exit !== 0) return 'accepted-but-compose-refuses';
	if (result.exit !== input.exit || !input.message.test(result.output) || stackTrace.test(result.output)) return 'vague';
	return 'clear error';
}
