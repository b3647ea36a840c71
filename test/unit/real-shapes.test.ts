/**
 * The real-shapes corpus (test/corpus/real-shapes/*): stacks written in the shapes public
 * homelab compose files use. These tests keep the corpus honest before any product test
 * runs on it: each stack is valid compose as its owner runs it (`-f`, `--env-file`, the
 * environment), its corpus.json names exactly the services and project compose computes,
 * every port the files mention is a port the service is declared to listen on, subnets are
 * private and distinct across stacks, and files keep the bytes that make them real (CRLF,
 * trailing spaces). What today's netmigrate makes of each stack is recorded, not asserted.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {execa} from 'execa';
import ipaddr from 'ipaddr.js';
import {z} from 'zod';
import {
	composeConfig,
	corpusRoot,
	modelStatus,
	readStack,
	stackFiles,
	stackNames,
	tiers,
	yamlRoundTrip,
	type ComposeConfig,
	type CorpusStack,
} from '../corpus/real-shapes/status.js';

const listen = z.strictObject({port: z.number().int().min(1).max(65_535), proto: z.enum(['tcp', 'udp']), http: z.boolean()});
const command = z.array(z.string()).min(1);
const service = z.strictObject({
	image: z.string().min(1),
	listens: z.array(listen),
	tier: z.enum(tiers),
	egress: z.boolean(),
	profiles: z.array(z.string()).min(1).optional(),
	namespaceOf: z.string().optional(),
	namespaceContainer: z.string().optional(),
	publishesForOthers: z.array(z.strictObject({port: z.number().int(), proto: z.enum(['tcp', 'udp']), from: z.string()})).optional(),
	standIn: z
		.strictObject({
			command: command.optional(),
			entrypoint: command.optional(),
			healthcheck: command.optional(),
			why: z.string().min(10),
		})
		.optional(),
});
const stackSchema = z.strictObject({
	pattern: z.array(z.string().min(1)).min(1),
	composeArgs: z.array(z.string()),
	envFile: z.string().optional(),
	environment: z.record(z.string(), z.string()).optional(),
	activeProfiles: z.array(z.string()).optional(),
	project: z.string().min(1),
	legacy: z.string().min(1),
	requires: z.array(z.string()).optional(),
	textTraits: z.record(z.string(), z.array(z.enum(['crlf', 'trailing-spaces', 'indent-4', 'long-file', 'compact-sequence']))).optional(),
	services: z.record(z.string(), service),
});

const names = stackNames();
const configs = new Map<string, ComposeConfig>();

/** Every profile corpus.json names: with all of them active, compose lists every service. */
function allProfiles(stack: CorpusStack): string[] {
	return [...new Set(Object.values(stack.services).flatMap((entry) => entry.profiles ?? []))].sort();
}

async function fullConfig(name: string): Promise<ComposeConfig> {
	const cached = configs.get(name);
	if (cached) return cached;
	const config = await composeConfig(
		name,
		allProfiles(readStack(name)).flatMap((profile) => ['--profile', profile]),
	);
	configs.set(name, config);
	return config;
}

const key = (port: number | string, proto: string) => `${Number(port)}/${proto}`;

test('the docker compose plugin is installed (the corpus is checked with it)', async () => {
	const result = await execa('docker', ['compose', 'version', '--short'], {reject: false});
	assert.equal(result.exitCode, 0, `\`docker compose version\` failed — install the Compose CLI plugin: ${result.stderr}`);
	assert.match(result.stdout, /^v?2\.\d+/);
});

test('the corpus has at least 15 stacks, and one file of 300+ lines, a CRLF file, a 4-space file', () => {
	assert.ok(names.length >= 15, `only ${names.length} stacks`);
	const traits = names.flatMap((name) => Object.values(readStack(name).textTraits ?? {}).flat());
	for (const trait of ['long-file', 'crlf', 'indent-4', 'trailing-spaces', 'compact-sequence'])
		assert.ok(traits.includes(trait as never), `no stack declares ${trait}`);
});

for (const name of names) {
	test(`${name}: corpus.json is well-formed and says what the stack reproduces`, () => {
		const parsed = stackSchema.safeParse(JSON.parse(readFileSync(path.join(corpusRoot, name, 'corpus.json'), 'utf8')));
		assert.ok(parsed.success, parsed.success ? '' : z.prettifyError(parsed.error));
		const readme = readFileSync(path.join(corpusRoot, name, 'README.md'), 'utf8');
		assert.match(readme, /\*\*Pattern\.\*\*/, 'README states the pattern');
		assert.match(readme, /\*\*Where it is common\.\*\*/, 'README states where the shape is common');
		assert.match(readme, /\*\*Legacy network:\*\*/, 'README names the legacy network');
		for (const required of parsed.data.requires ?? []) assert.ok(names.includes(required), `requires unknown stack ${required}`);
		if (parsed.data.envFile) assert.ok(stackFiles(name).includes(parsed.data.envFile), `envFile ${parsed.data.envFile} is missing`);
	});

	test(`${name}: docker compose config accepts it as its owner runs it, with corpus.json's project and services`, async () => {
		const stack = readStack(name);
		const config = await fullConfig(name);
		assert.equal(config.name, stack.project, 'project name');
		assert.deepEqual(Object.keys(config.services).sort(), Object.keys(stack.services).sort(), 'services (all profiles active)');

		const active = await composeConfig(name);
		const activeProfiles = stack.activeProfiles ?? [];
		const expectedActive = Object.entries(stack.services)
			.filter(([, entry]) => !entry.profiles || entry.profiles.some((profile) => activeProfiles.includes(profile)))
			.map(([service]) => service);
		assert.deepEqual(Object.keys(active.services).sort(), expectedActive.sort(), 'services compose runs without --profile');

		const networkNames = Object.values(config.networks ?? {}).map((network) => network.name);
		assert.ok(networkNames.includes(stack.legacy), `legacy network ${stack.legacy} is not among ${networkNames.join(', ')}`);

		for (const [service, entry] of Object.entries(stack.services)) {
			const model = config.services[service] as {
				image?: string;
				network_mode?: string;
				profiles?: string[];
				command?: string[] | null;
			};
			assert.equal(model.image, entry.image, `${service}: image`);
			assert.deepEqual([...(model.profiles ?? [])].sort(), [...(entry.profiles ?? [])].sort(), `${service}: profiles`);
			const mode = model.network_mode;
			assert.equal(
				mode?.startsWith('service:') ? mode.slice('service:'.length) : undefined,
				entry.namespaceOf,
				`${service}: namespaceOf`,
			);
			assert.equal(
				mode?.startsWith('container:') ? mode.slice('container:'.length) : undefined,
				entry.namespaceContainer,
				`${service}: namespaceContainer`,
			);
			// A service that listens on nothing runs its own command (busybox can run it as written) or a stand-in's.
			if (entry.listens.length === 0)
				assert.ok(
					entry.standIn?.command ?? entry.standIn?.entrypoint ?? model.command,
					`${service} listens on nothing: say what its stand-in runs`,
				);
			// A stand-in command replaces the per-port servers the e2e test would start, so it serves every port.
			const replacement = (entry.standIn?.command ?? entry.standIn?.entrypoint ?? []).join(' ');
			if (replacement)
				for (const port of entry.listens)
					assert.match(
						replacement,
						new RegExp(`\\b${port.port}\\b`),
						`${service}: its stand-in command does not serve ${port.port}`,
					);
		}
	});

	test(`${name}: every port the files mention is one its service is declared to listen on`, async () => {
		const stack = readStack(name);
		const config = await fullConfig(name);
		const listensOf = (service: string) =>
			new Set((stack.services[service]?.listens ?? []).map((entry) => key(entry.port, entry.proto)));
		const followers = (owner: string) =>
			Object.entries(stack.services)
				.filter(([, entry]) => entry.namespaceOf === owner)
				.map(([service]) => service);
		/** Ports reachable at a service: its own, its namespace followers', and those it publishes for other projects. */
		const served = (service: string) => {
			const ports = listensOf(service);
			for (const follower of followers(service)) for (const port of listensOf(follower)) ports.add(port);
			for (const other of stack.services[service]?.publishesForOthers ?? []) ports.add(key(other.port, other.proto));
			return ports;
		};
		const problems: string[] = [];
		for (const [service, raw] of Object.entries(config.services)) {
			const model = raw as {
				ports?: Array<{target: number; protocol?: string}>;
				labels?: Record<string, string>;
				healthcheck?: {test?: string[]};
				environment?: Record<string, string | null>;
			};
			const ports = served(service);
			for (const port of model.ports ?? []) {
				if (!ports.has(key(port.target, port.protocol ?? 'tcp')))
					problems.push(`${service} publishes ${key(port.target, port.protocol ?? 'tcp')}`);
			}
			for (const [label, value] of Object.entries(model.labels ?? {})) {
				if (/^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/.test(label) && !ports.has(key(value, 'tcp')))
					problems.push(`${service}: label ${label}=${value}`);
			}
			const probe = (model.healthcheck?.test ?? []).join(' ');
			for (const match of probe.matchAll(/(?:localhost|127\.0\.0\.1):(\d+)/g))
				if (!ports.has(key(match[1] as string, 'tcp'))) problems.push(`${service}: healthcheck probes ${match[1]}`);
			for (const [variable, value] of Object.entries(model.environment ?? {})) {
				if (value === null) continue;
				const portValue = /(^|_)(WEBUI_PORT|PORT|FRONTEND_PORT|LISTEN_PORT|TORRENTING_PORT)$|^(webUIPort|serverPort)$/i.test(
					variable,
				)
					? value
					: /ADDRESS$/.test(variable)
						? /^[\d.]*:(\d+)$/.exec(value)?.[1]
						: undefined;
				if (portValue && /^\d+$/.test(portValue) && !listensOf(service).has(key(portValue, 'tcp')))
					problems.push(`${service}: ${variable}=${value}`);
			}
		}
		// Services sharing one namespace cannot listen on the same port.
		for (const owner of Object.keys(stack.services)) {
			const seen = new Map<string, string>();
			for (const member of [owner, ...followers(owner)]) {
				for (const port of listensOf(member)) {
					const other = seen.get(port);
					if (other) problems.push(`${member} and ${other} both listen on ${port} in ${owner}'s namespace`);
					seen.set(port, member);
				}
			}
		}
		assert.deepEqual(problems, [], 'ports the compose files mention but corpus.json does not declare');
	});

	test(`${name}: its files read and written back are byte-identical and keep their text traits`, () => {
		const stack = readStack(name);
		const temp = mkdtempSync(path.join(tmpdir(), 'real-shapes-'));
		try {
			for (const file of stackFiles(name)) {
				const bytes = readFileSync(path.join(corpusRoot, name, file));
				const copy = path.join(temp, file.replaceAll('/', '_'));
				writeFileSync(copy, bytes);
				assert.ok(readFileSync(copy).equals(bytes), `${file} changed on a read/write round trip`);
			}
		} finally {
			rmSync(temp, {recursive: true, force: true});
		}
		for (const [file, traits] of Object.entries(stack.textTraits ?? {})) {
			const text = readFileSync(path.join(corpusRoot, name, file), 'utf8');
			const lines = text.split('\n').slice(0, -1);
			for (const trait of traits) {
				if (trait === 'crlf')
					assert.ok(lines.length > 0 && lines.every((line) => line.endsWith('\r')), `${file}: every line ends with CRLF`);
				if (trait === 'trailing-spaces')
					assert.ok(
						lines.some((line) => / $/.test(line)),
						`${file}: keeps its trailing spaces`,
					);
				if (trait === 'indent-4')
					assert.match(text, /^services:\r?\n(?:\r?\n)*(?: {4}#.*\r?\n|\r?\n)* {4}[\w-]+:/m, `${file}: services indented by 4`);
				if (trait === 'long-file') assert.ok(lines.length >= 300, `${file}: ${lines.length} lines, expected 300+`);
				if (trait === 'compact-sequence')
					assert.match(text, /^( *)config:\r?\n\1- subnet:/m, `${file}: a compact \`config:\` / \`- subnet:\` sequence`);
			}
		}
	});
}

test('subnets are private (10/8, 172.16/12, IPv6 unique-local fc00::/7) and no two stacks declare overlapping ones', async () => {
	const privateRanges = [ipaddr.parseCIDR('10.0.0.0/8'), ipaddr.parseCIDR('172.16.0.0/12'), ipaddr.parseCIDR('fc00::/7')];
	const declared: Array<{stack: string; subnet: [ipaddr.IPv4 | ipaddr.IPv6, number]; text: string}> = [];
	for (const name of names) {
		const config = await fullConfig(name);
		for (const network of Object.values(config.networks ?? {})) {
			if (network.external) continue;
			for (const entry of network.ipam?.config ?? []) {
				if (!entry.subnet) continue;
				const subnet = ipaddr.parseCIDR(entry.subnet);
				assert.ok(
					privateRanges.some((range) => subnet[0].kind() === range[0].kind() && subnet[0].match(range)),
					`${name}: ${entry.subnet} is not in 10/8, 172.16/12 or fc00::/7`,
				);
				declared.push({stack: name, subnet, text: entry.subnet});
			}
		}
	}
	const overlaps = (a: [ipaddr.IPv4 | ipaddr.IPv6, number], b: [ipaddr.IPv4 | ipaddr.IPv6, number]) =>
		a[0].kind() === b[0].kind() && (a[0].match(b) || b[0].match(a));
	for (const [index, one] of declared.entries()) {
		for (const other of declared.slice(index + 1)) {
			if (one.stack !== other.stack)
				assert.ok(!overlaps(one.subnet, other.subnet), `${one.stack} ${one.text} overlaps ${other.stack} ${other.text}`);
		}
	}
});

// Recorded, not asserted: what today's compose model makes of each stack (STATUS.md has the
// full table with `init` and `plan`; regenerate it with test/corpus/real-shapes/status.ts).
const recorded: string[] = [];
for (const name of names) {
	test(`${name}: today's compose model (recorded, not asserted)`, (t) => {
		const line = `${name}: model ${modelStatus(name)}; yaml round trip ${yamlRoundTrip(name)}`;
		recorded.push(line);
		t.diagnostic(line);
	});
}
after(() => {
	if (process.env.REAL_SHAPES_VERBOSE) process.stdout.write(`${recorded.join('\n')}\n`);
});
