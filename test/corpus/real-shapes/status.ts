/**
 * The real-shapes corpus as data, and what today's netmigrate makes of it. Each stack is a
 * folder with its compose files and a `corpus.json` saying how compose is run on it (`-f`,
 * `--env-file`, environment, profiles), the project name compose gives it, and for every
 * service its image, the ports it really listens on, the tier an experienced owner would pick,
 * and whether it needs internet egress. The unit test (test/unit/real-shapes.test.ts) checks
 * the corpus against `docker compose config`; run this file to regenerate STATUS.md:
 *
 *   node --import tsx test/corpus/real-shapes/status.ts
 *
 * STATUS.md records, without asserting, which stacks netmigrate's compose model loads as
 * compose does, and how `netmigrate init` and `plan` fare on a copy of each (no engine: the
 * CLI is given a socket path nobody listens on, so it drafts from the files).
 */
import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {parse, parseDocument} from 'yaml';
import {loadComposeProject} from '../../../source/compose/project.js';
import {formatError, NetmigrateError} from '../../../source/errors.js';

export const corpusRoot = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(corpusRoot, '../../..');

export const tiers = ['dmz', 'frontend', 'backend', 'download', 'mgmt', 'security', 'legacy-only', 'not-movable'] as const;
export type Listen = {port: number; proto: 'tcp' | 'udp'; http: boolean};
export type StandIn = {command?: string[]; entrypoint?: string[]; healthcheck?: string[]; why: string};
export type CorpusService = {
	image: string;
	listens: Listen[];
	tier: (typeof tiers)[number];
	egress: boolean;
	profiles?: string[];
	/** `network_mode: service:<name>` */
	namespaceOf?: string;
	/** `network_mode: container:<name>` (a container of this or another project) */
	namespaceContainer?: string;
	/** Ports this namespace owner publishes for a container of another project. */
	publishesForOthers?: Array<{port: number; proto: 'tcp' | 'udp'; from: string}>;
	standIn?: StandIn;
};
export type CorpusStack = {
	pattern: string[];
	composeArgs: string[];
	envFile?: string;
	environment?: Record<string, string>;
	activeProfiles?: string[];
	project: string;
	legacy: string;
	requires?: string[];
	textTraits?: Record<string, string[]>;
	services: Record<string, CorpusService>;
};

export function stackNames(): string[] {
	return readdirSync(corpusRoot)
		.filter((name) => statSync(path.join(corpusRoot, name)).isDirectory())
		.sort();
}

export function readStack(name: string): CorpusStack {
	return JSON.parse(readFileSync(path.join(corpusRoot, name, 'corpus.json'), 'utf8')) as CorpusStack;
}

/** Every file of the stack except its own notes: compose files, env files, anything they read. */
export function stackFiles(name: string): string[] {
	const folder = path.join(corpusRoot, name);
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, {withFileTypes: true})) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else files.push(path.relative(folder, full));
		}
	};
	walk(folder);
	return files.filter((file) => file !== 'README.md' && file !== 'corpus.json').sort();
}

/** The environment compose runs in: nothing of the caller's COMPOSE_* or HOSTNAME, plus the stack's own. */
export function composeEnvironment(stack: CorpusStack): Record<string, string> {
	const environment: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value === undefined || key.startsWith('COMPOSE_') || key === 'HOSTNAME' || key === 'DOCKER_HOST' || key === 'DOCKER_CONTEXT')
			continue;
		environment[key] = value;
	}
	// `config` needs no daemon; a socket nobody listens on makes sure none is ever asked.
	environment.DOCKER_HOST = 'unix:///nonexistent/netmigrate-real-shapes.sock';
	return {...environment, ...stack.environment};
}

export type ComposeConfig = {
	name: string;
	services: Record<string, Record<string, unknown>>;
	networks?: Record<string, {name?: string; external?: boolean; driver?: string; ipam?: {config?: Array<{subnet?: string}>}}>;
};

/** `docker compose config --format json` as the stack's owner runs it, with extra flags (e.g. --profile). */
export async function composeConfig(name: string, extra: string[] = []): Promise<ComposeConfig> {
	const stack = readStack(name);
	const result = await execa('docker', ['compose', ...stack.composeArgs, ...extra, 'config', '--format', 'json'], {
		cwd: path.join(corpusRoot, name),
		env: composeEnvironment(stack),
		extendEnv: false,
		reject: false,
	});
	if (result.exitCode !== 0) throw new Error(`docker compose config failed for ${name} (exit ${result.exitCode}): ${result.stderr}`);
	return JSON.parse(result.stdout) as ComposeConfig;
}

/** The `-f` files the owner passes (none: compose's default file and its override, as netmigrate finds them). */
export function rootFiles(name: string): string[] {
	return optionValues(readStack(name).composeArgs, '-f');
}

function optionValues(args: string[], option: string): string[] {
	return args.flatMap((arg, index) => (arg === option && args[index + 1] !== undefined ? [args[index + 1] as string] : []));
}

export type StatusRow = {stack: string; model: string; init: string; checks: string; plan: string; yamlRoundTrip: string};

function oneLine(text: string, limit = 260): string {
	const line = text
		.split(corpusRoot + path.sep)
		.join('')
		.replace(/\/tmp\/netmigrate-real-shapes-\w+\//g, '')
		.replace(/\s+/g, ' ')
		.trim();
	return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** Today's compose model on the stack, in-process: what loads, which services and project, or the refusal. */
export function modelStatus(name: string): string {
	const stack = readStack(name);
	try {
		const model = loadComposeProject(path.join(corpusRoot, name), rootFiles(name), {
			environment: stack.environment ?? {},
			envFiles: optionValues(stack.composeArgs, '--env-file'),
		});
		const expected = Object.keys(stack.services).sort();
		const loaded = [...model.services.keys()].sort();
		const missing = expected.filter((service) => !loaded.includes(service));
		const extra = loaded.filter((service) => !expected.includes(service));
		const problems: string[] = [];
		if (model.projectName !== stack.project) problems.push(`project ${model.projectName}, compose says ${stack.project}`);
		if (missing.length > 0) problems.push(`misses ${missing.join(', ')}`);
		if (extra.length > 0) problems.push(`extra ${extra.join(', ')}`);
		return problems.length === 0 ? `loads (${loaded.length} services)` : `loads, wrong: ${problems.join('; ')}`;
	} catch (error) {
		return `refused: ${oneLine(error instanceof NetmigrateError ? formatError(error) : String(error))}`;
	}
}

/** `netmigrate init` then `plan` on a copy of the stack (same folder name), with no engine. */
export async function cliStatus(name: string): Promise<{init: string; checks: string; plan: string}> {
	const stack = readStack(name);
	const temp = mkdtempSync(path.join(tmpdir(), 'netmigrate-real-shapes-'));
	try {
		const copy = path.join(temp, name);
		cpSync(path.join(corpusRoot, name), copy, {recursive: true});
		const host = `unix://${path.join(temp, 'no-engine.sock')}`;
		const run = (args: string[]) =>
			execa('node', ['--import', import.meta.resolve('tsx'), path.join(repoRoot, 'source/cli.ts'), ...args], {
				cwd: copy,
				env: {...composeEnvironment(stack), TSX_TSCONFIG_PATH: path.join(repoRoot, 'tsconfig.json'), NO_COLOR: '1'},
				extendEnv: false,
				reject: false,
				timeout: 60_000,
			});
		const init = await run([
			'init',
			'--stack',
			copy,
			...stack.composeArgs,
			'--host',
			host,
			'--output',
			path.join(copy, 'netmigrate.yml'),
			'--legacy',
			stack.legacy,
		]);
		const drafted = init.stdout.split('\n').filter((line) => line.startsWith('wrote') || line.startsWith('not classified'));
		const initText =
			init.exitCode === 0
				? `ok: ${oneLine(drafted.join('; ').replace(/^wrote \S+ /, ''))}`
				: `exit ${init.exitCode}: ${oneLine(init.stderr || init.stdout)}`;
		if (init.exitCode !== 0) return {init: initText, checks: '—', plan: '—'};
		const checks = draftedCheckProblems(stack, readFileSync(path.join(copy, 'netmigrate.yml'), 'utf8'));
		const plan = await run(['plan', '--plan', path.join(copy, 'netmigrate.yml'), '--host', host]);
		const planText = plan.exitCode === 0 ? 'ok' : `exit ${plan.exitCode}: ${oneLine(plan.stderr || plan.stdout)}`;
		return {init: initText, checks, plan: planText};
	} finally {
		rmSync(temp, {recursive: true, force: true});
	}
}

/**
 * The drafted checks against what the images really serve: a check to `service:port` where the
 * service (or, for a namespace owner, a container in its namespace) does not listen on that
 * port, or a check between two containers that share one namespace, tests nothing.
 */
export function draftedCheckProblems(stack: CorpusStack, planText: string): string {
	const plan = parse(planText) as {iterations?: Array<{checks?: Array<{from: string; to: string}>}>};
	const checks = (plan.iterations ?? []).flatMap((iteration) => iteration.checks ?? []);
	const namespace = (service: string) => stack.services[service]?.namespaceOf ?? service;
	const problems: string[] = [];
	for (const check of checks) {
		const [target = '', port = ''] = check.to.split(':');
		const inNamespace = Object.entries(stack.services).filter(([name]) => namespace(name) === namespace(target));
		const served = inNamespace.some(([, entry]) =>
			entry.listens.some((listen) => listen.proto === 'tcp' && String(listen.port) === port),
		);
		if (!served)
			problems.push(
				`${check.to} (listens on ${stack.services[target]?.listens.map((listen) => listen.port).join('/') || 'nothing'})`,
			);
		if (namespace(check.from) === namespace(target)) problems.push(`${check.from}→${check.to} share a namespace`);
	}
	return `${checks.length} checks${problems.length > 0 ? `, wrong: ${problems.join(', ')}` : ', ports right'}`;
}

/** Whether the yaml library's own serialisation of each untouched file gives back its bytes. */
export function yamlRoundTrip(name: string): string {
	const changed: string[] = [];
	for (const file of stackFiles(name).filter((file) => /\.ya?ml$/.test(file))) {
		const text = readFileSync(path.join(corpusRoot, name, file), 'utf8');
		if (String(parseDocument(text)) !== text) changed.push(file);
	}
	return changed.length === 0 ? 'identical' : `differs: ${changed.join(', ')}`;
}

export async function statusRows(withCli: boolean): Promise<StatusRow[]> {
	const rows: StatusRow[] = [];
	for (const name of stackNames()) {
		const cli = withCli ? await cliStatus(name) : {init: 'not run', checks: 'not run', plan: 'not run'};
		rows.push({stack: name, model: modelStatus(name), ...cli, yamlRoundTrip: yamlRoundTrip(name)});
	}
	return rows;
}

export function renderStatus(rows: StatusRow[]): string {
	const cell = (text: string) => text.replace(/\|/g, '\\|');
	const lines = [
		'# Real shapes: what netmigrate makes of them today',
		'',
		'Generated by `node --import tsx test/corpus/real-shapes/status.ts`; nothing here is asserted yet.',
		"- **model**: `loadComposeProject` on the stack (root files from `-f` or compose's default name, the stack's environment), compared with `docker compose config` (project name, services).",
		'- **init** / **plan**: `netmigrate init --legacy <legacy>` then `netmigrate plan` on a copy of the folder (same name), with no engine answering.',
		'- **drafted checks**: each check of the draft against corpus.json — a port the target does not listen on, or two containers sharing one namespace.',
		'- **yaml round trip**: `String(parseDocument(text)) === text` for each YAML file (what a naive re-serialise would change).',
		'',
		'| stack | model | init | drafted checks | plan | yaml round trip |',
		'|---|---|---|---|---|---|',
		...rows.map((row) => `| ${[row.stack, row.model, row.init, row.checks, row.plan, row.yamlRoundTrip].map(cell).join(' | ')} |`),
		'',
	];
	return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const rows = await statusRows(true);
	writeFileSync(path.join(corpusRoot, 'STATUS.md'), renderStatus(rows));
	process.stdout.write(renderStatus(rows));
}
