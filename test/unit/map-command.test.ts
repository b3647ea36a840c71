/**
 * `netmigrate map` and `netmigrate verify` without an engine: the map from the compose files
 * and the plan (saying so), in each format; verify rendering a saved result — exit 1 on a
 * mismatch, 0 when all is as intended, the node-exporter textfile written — and refusing,
 * with the way out, when it would have to probe.
 */
import assert from 'node:assert/strict';
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {mapCommand, mapFormatOf} from '../../source/commands/map.js';
import {verifyCommand} from '../../source/commands/verify.js';
import {NetmigrateError} from '../../source/errors.js';
import {intendedPairs, intendedStack} from '../../source/plan/intent.js';
import {loadPlan} from '../../source/plan/load.js';
import {exampleStack, repoRoot} from '../harness/engine.js';

const folder = mkdtempSync(path.join(tmpdir(), 'netmigrate-map-command-'));
const root = path.join(folder, 'media-stack');
cpSync(exampleStack, root, {recursive: true});
const planFile = path.join(root, 'netmigrate.yml');
const common = {plan: planFile, host: 'unix:///nonexistent/netmigrate-test.sock', json: false, yes: false};
const observedFixture = path.join(repoRoot, 'test/fixtures/observed/media-stack-after-retire-legacy.json');
after(() => rmSync(folder, {recursive: true, force: true}));

async function run(command: (write: (text: string) => void) => Promise<number>): Promise<{code: number; output: string}> {
	const lines: string[] = [];
	const code = await command((text) => lines.push(text));
	return {code, output: lines.join('\n')};
}

test('map without an engine: the compose files now against the next iteration, and it says where "now" came from', async () => {
	const {code, output} = await run((write) => mapCommand({...common, format: 'text'}, write));
	assert.equal(code, 0);
	const lines = output.split('\n');
	assert.equal(lines[0], 'Network map of media: now -> after iteration 1 (network-foundation)');
	assert.equal(lines[1], 'now: the compose files (no engine consulted)');
	const last = await run((write) => mapCommand({...common, iteration: 3, format: 'text'}, write));
	assert.match(last.output, /^Network map of media: now -> after iteration 3 \(retire-legacy\)$/m);
});

test('map --format json and mermaid; an unknown format is bad input', async () => {
	const json = JSON.parse((await run((write) => mapCommand({...common, iteration: 2, format: 'json'}, write))).output);
	assert.deepEqual(json.after, {iteration: 2, name: 'port-consolidation'});
	const mermaid = (await run((write) => mapCommand({...common, format: 'mermaid'}, write))).output;
	assert.match(mermaid, /^flowchart LR\n/);
	assert.throws(
		() => mapFormatOf('dot'),
		(error: unknown) => error instanceof NetmigrateError && error.code === 'bad-input' && /--format dot/.test(error.message),
	);
	await assert.rejects(
		mapCommand({...common, iteration: 7, format: 'text'}, () => {}),
		/there is no iteration 7/,
	);
});

test('verify --observed: a mismatch exits 1, and the textfile holds the count', async () => {
	const prometheus = path.join(folder, 'netmigrate.prom');
	const {code, output} = await run((write) => verifyCommand({...common, iteration: 3, observed: observedFixture, prometheus}, write));
	assert.equal(code, 1);
	assert.match(output, /^Not as intended \(2\):$/m);
	assert.match(readFileSync(prometheus, 'utf8'), /^netmigrate_reachability_mismatches\{project="media"\} 2$/m);
});

test('verify --json of a stack as intended exits 0; its output reads back as a saved result', async () => {
	const loaded = loadPlan(planFile);
	const stack = intendedStack(loaded.project, loaded.plan, -1);
	const asIntended = intendedPairs(stack).map((pair) => ({
		from: pair.from,
		to: pair.to,
		port: 80,
		address: '172.18.0.9',
		network: 'media-network',
		reachable: pair.via.length > 0,
		ms: 1,
	}));
	const saved = path.join(folder, 'observed-now.json');
	writeFileSync(saved, JSON.stringify(asIntended));
	const first = await run((write) => verifyCommand({...common, json: true, observed: saved}, write));
	assert.equal(first.code, 0);
	const json = JSON.parse(first.output);
	assert.deepEqual(json.summary, {pairs: 272, mismatches: 0, hostPaths: 0});
	assert.equal(json.iteration, null, 'nothing done yet: compared against the compose files');
	writeFileSync(saved, first.output);
	const again = await run((write) => verifyCommand({...common, observed: saved}, write));
	assert.equal(again.code, 0);
	assert.match(again.output, /^Every pair is as the plan intends\.$/m);
});

test('verify with nothing to render and no probe refuses, naming the way out', async () => {
	await assert.rejects(
		verifyCommand(common, () => {}),
		(error: unknown) => error instanceof NetmigrateError && error.code === 'engine-unreachable' && /--observed/.test(error.hint ?? ''),
	);
	const broken = path.join(folder, 'broken.json');
	writeFileSync(broken, '[{"from": "traefik"}]');
	await assert.rejects(
		verifyCommand({...common, observed: broken}, () => {}),
		(error: unknown) => error instanceof NetmigrateError && error.code === 'bad-input' && error.where?.file === broken,
	);
});

test('verify on a swarm stack refuses before probing, saying why and what proves it there instead', async () => {
	const swarmPlan = path.join(folder, 'swarm-stack/netmigrate.yml');
	cpSync(path.join(repoRoot, 'examples/swarm-stack'), path.dirname(swarmPlan), {recursive: true});
	let probed = false;
	await assert.rejects(
		verifyCommand(
			{...common, plan: swarmPlan},
			() => {},
			async () => {
				probed = true;
				return [];
			},
		),
		(error: unknown) =>
			error instanceof NetmigrateError &&
			error.code === 'bad-input' &&
			/tasks run on several nodes/.test(error.message) &&
			/declared checks run from probe tasks/.test(error.hint ?? ''),
	);
	assert.equal(probed, false, 'nothing was probed');
});
