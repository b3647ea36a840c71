/**
 * The Nomad export read back as Nomad and Consul would read it: for the example stack after
 * each of its iterations and for every real-shapes corpus stack (its drafted plan, after each
 * iteration), every file parses with HashiCorp's HCL parser and uses only fields of Nomad's job
 * specification and Consul's config entries; the pairs the intentions allow are exactly the
 * intended reachable pairs; every port a reachable check probes is an upstream of its source;
 * the nftables ruleset passes `nft --check` (in a network namespace made for it); and the
 * example's export is byte-identical to its golden files (UPDATE_GOLDEN=1 rewrites them).
 */
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {parseEnvFile} from '../../source/compose/envfile.js';
import {loadComposeProject, namespaceOwner, type ComposeModel} from '../../source/compose/project.js';
import {exportNomad, type ExportFile} from '../../source/export/nomad/index.js';
import {draftTieredPlan} from '../../source/plan/draft.js';
import {intendedPairs, intendedStack} from '../../source/plan/intent.js';
import {loadPlan, parsePlan} from '../../source/plan/load.js';
import type {Plan} from '../../source/plan/schema.js';
import {exampleStack, repoRoot} from '../harness/engine.js';
import {readExport} from '../harness/nomad-export.js';

const corpus = path.join(repoRoot, 'test/corpus/real-shapes');
const golden = path.join(repoRoot, 'test/golden/nomad-media-stack');

/** What the export must carry: the intended reachable pairs, and the reachable checks' ports as upstreams. */
function expected(project: ComposeModel, plan: Plan, iteration: number): {pairs: string[]; checkPorts: string[]} {
	const pairs = intendedPairs(intendedStack(project, plan, iteration)).filter((pair) => pair.via.length > 0);
	const reachable = new Set(pairs.map((pair) => `${pair.from} → ${pair.to}`));
	const checkPorts = plan.iterations
		.slice(0, iteration + 1)
		.flatMap((step) => step.checks)
		.filter((check) => check.expect === 'reachable')
		.map((check) => {
			const [target, port] = check.to.split(':') as [string, string];
			return {from: namespaceOwner(project, check.from), to: namespaceOwner(project, target), port};
		})
		.filter((check) => reachable.has(`${check.from} → ${check.to}`))
		.map((check) => `${check.from} → ${check.to}:${check.port}`);
	// Groups are named in lowercase (Nomad's Connect requires it).
	const lower = (list: string[]) => list.map((entry) => entry.toLowerCase());
	return {pairs: lower([...reachable]).sort(), checkPorts: lower([...new Set(checkPorts)])};
}

async function assertRoundTrip(label: string, project: ComposeModel, plan: Plan, iteration: number): Promise<ExportFile[]> {
	const {files} = exportNomad(project, plan, iteration);
	const back = await readExport(files);
	const want = expected(project, plan, iteration);
	assert.deepEqual([...back.allowed].sort(), want.pairs, `${label}: the intentions allow exactly the intended pairs`);
	assert.ok(back.defaultDeny, `${label}: a default deny`);
	for (const port of want.checkPorts)
		assert.ok(
			back.upstreams.has(port),
			`${label}: the check ${port} is an upstream (upstreams: ${[...back.upstreams].filter((entry) => entry.startsWith(port.split(' ')[0] as string)).join(', ')})`,
		);
	return files;
}

function loadExample(): {project: ComposeModel; plan: Plan} {
	const loaded = loadPlan(path.join(exampleStack, 'netmigrate.yml'), {environment: {}});
	return {project: loaded.project, plan: loaded.plan};
}

function readTree(folder: string): Map<string, string> {
	const files = new Map<string, string>();
	const walk = (at: string) => {
		for (const entry of readdirSync(at)) {
			const full = path.join(at, entry);
			if (statSync(full).isDirectory()) walk(full);
			else files.set(path.relative(folder, full), readFileSync(full, 'utf8'));
		}
	};
	if (existsSync(folder)) walk(folder);
	return files;
}

for (const iteration of [0, 1, 2]) {
	test(`example stack after iteration ${iteration + 1}: the export parses, allows exactly the intended pairs, opens every checked port, and matches its golden files`, async () => {
		const {project, plan} = loadExample();
		const files = await assertRoundTrip(`example after ${iteration + 1}`, project, plan, iteration);
		assert.ok(expected(project, plan, iteration).checkPorts.length >= 3, 'the example checks reachable ports');
		const folder = path.join(golden, `iteration-${iteration + 1}`);
		if (process.env.UPDATE_GOLDEN) {
			rmSync(folder, {recursive: true, force: true});
			for (const entry of files) {
				mkdirSync(path.dirname(path.join(folder, entry.file)), {recursive: true});
				writeFileSync(path.join(folder, entry.file), entry.text);
			}
		}
		const stored = readTree(folder);
		assert.deepEqual([...stored.keys()].sort(), files.map((entry) => entry.file).sort());
		for (const entry of files) assert.equal(entry.text, stored.get(entry.file), entry.file);
	});
}

test('example stack today, before any iteration: every service shares the flat network, so every pair is allowed', async () => {
	const {project, plan} = loadExample();
	await assertRoundTrip('example today', project, plan, -1);
	const owners = intendedStack(project, plan, -1).namespaces.length;
	assert.equal(expected(project, plan, -1).pairs.length, owners * (owners - 1));
});

type CorpusStack = {composeArgs: string[]; environment?: Record<string, string>; project: string; legacy: string};

function loadCorpusStack(name: string): {project: ComposeModel; plan: Plan} {
	const root = path.join(corpus, name);
	const stack = JSON.parse(readFileSync(path.join(root, 'corpus.json'), 'utf8')) as CorpusStack;
	const files: string[] = [];
	const environment: Record<string, string> = {...stack.environment};
	for (let index = 0; index < stack.composeArgs.length; index += 2) {
		const [flag, value] = [stack.composeArgs[index], stack.composeArgs[index + 1] as string];
		if (flag === '-f') files.push(value);
		if (flag === '--env-file')
			for (const entry of parseEnvFile(path.join(root, value), readFileSync(path.join(root, value), 'utf8')).entries.values())
				environment[entry.key] ??= entry.value ?? '';
	}
	const project = loadComposeProject(root, files, {environment, projectName: stack.project});
	const draft = draftTieredPlan({project, legacy: stack.legacy, usedSubnets: [], composeFiles: project.rootFiles, stackRoot: '.'});
	return {project, plan: parsePlan(path.join(root, 'drafted.yml'), draft.text).plan};
}

const stacks = readdirSync(corpus).filter((name) => existsSync(path.join(corpus, name, 'corpus.json')));

test('the corpus has real-shapes stacks to export', () => assert.ok(stacks.length >= 15, `${stacks.length} stacks`));

for (const name of stacks) {
	test(`real shape ${name}: after each iteration of its drafted plan, the export parses and allows exactly the intended pairs`, async () => {
		const {project, plan} = loadCorpusStack(name);
		for (let iteration = -1; iteration < plan.iterations.length; iteration++)
			await assertRoundTrip(`${name} after ${iteration + 1}`, project, plan, iteration);
	});
}

/** `nft --check -f` inside a network namespace made for it and removed after: nothing on the machine changes. */
function nftCheck(file: string): void {
	const namespace = `nm-nft-${process.pid}`;
	execFileSync('ip', ['netns', 'add', namespace]);
	try {
		execFileSync('ip', ['netns', 'exec', namespace, 'nft', '--check', '-f', file], {stdio: 'pipe'});
	} finally {
		execFileSync('ip', ['netns', 'delete', namespace]);
	}
}

test("the clients' nftables ruleset passes nft --check (example after the last iteration, and a corpus stack publishing UDP)", () => {
	// No skip: this machine must have nft (Debian's nftables) and may create network namespaces.
	const folder = mkdtempSync(path.join(tmpdir(), 'nm-nft-'));
	try {
		const {project, plan} = loadExample();
		const rules = exportNomad(project, plan, 2).files.find((entry) => entry.file === 'firewall.nft')?.text ?? '';
		assert.match(rules, /policy drop/);
		writeFileSync(path.join(folder, 'example.nft'), rules);
		nftCheck(path.join(folder, 'example.nft'));
		const udp = stacks
			.map(
				(name) =>
					exportNomad(loadCorpusStack(name).project, loadCorpusStack(name).plan, -1).files.find(
						(entry) => entry.file === 'firewall.nft',
					)?.text ?? '',
			)
			.find((text) => /udp dport \d+ accept comment "static/.test(text));
		assert.ok(udp, 'a corpus stack publishes a UDP port');
		writeFileSync(path.join(folder, 'udp.nft'), udp);
		nftCheck(path.join(folder, 'udp.nft'));
		// The check can fail: a broken rule is refused.
		writeFileSync(path.join(folder, 'broken.nft'), rules.replace('policy drop;', 'policy dorp;'));
		assert.throws(() => nftCheck(path.join(folder, 'broken.nft')));
	} finally {
		rmSync(folder, {recursive: true, force: true});
	}
});
