// engines: 26 28 — both: compose's --wait and concurrent `up` calls on one project, on each release
/**
 * Healthchecks on an interval with no start_interval (test/fixtures/slow-health): a labels
 * iteration recreates eight apps, and each waits for its first check. Recreated side by side, the
 * step takes about one interval instead of eight; tautulli depends on overseerr, so it waits for
 * it. Proven from the journal, not the clock: every independent recreate began before the first
 * one ended, and tautulli began after overseerr ended; the rollback runs the same way and leaves
 * the start.
 */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {runCli} from '../harness/cli.js';
import {repoRoot} from '../harness/engine.js';
import {stackState} from '../harness/state.js';
import {stackSuite} from '../harness/suite.js';

const suite = stackSuite(path.join(repoRoot, 'test/fixtures/slow-health'), 'arrs');
type Entry = {seq: number; run: string; step: string; id: string; phase: string; action?: {kind: string; service: string}};
const journal = (): Entry[] =>
	readFileSync(path.join(suite.stack.root, '.netmigrate/journal.jsonl'), 'utf8')
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as Entry);

/** For each recreated service, the journal positions of its intent and its outcome, in one run. */
function recreates(run: string): Map<string, {intent: number; done: number}> {
	const byId = new Map<string, {service: string; intent: number; done: number}>();
	for (const entry of journal()) {
		if (entry.run !== run) continue;
		if (entry.phase === 'intent' && entry.action?.kind === 'service.recreate')
			byId.set(entry.id, {service: entry.action.service, intent: entry.seq, done: Infinity});
		const known = byId.get(entry.id);
		if (entry.phase === 'done' && known) known.done = entry.seq;
	}
	return new Map([...byId.values()].map((item) => [item.service, item]));
}

function assertSideBySide(run: string): void {
	const seen = recreates(run);
	assert.equal(seen.size, 8, `${run}: eight recreates (${[...seen.keys()].join(', ')})`);
	const overseerr = seen.get('overseerr') as {done: number};
	const tautulli = seen.get('tautulli') as {intent: number};
	assert.ok(tautulli.intent > overseerr.done, `${run}: tautulli (depends_on overseerr) is recreated after it`);
	const independent = [...seen].filter(([service]) => service !== 'tautulli');
	const firstDone = Math.min(...independent.map(([, item]) => item.done));
	assert.deepEqual(
		independent.filter(([, item]) => item.intent > firstDone).map(([service]) => service),
		[],
		`${run}: every independent recreate began before the first one ended`,
	);
}

/** Container → its address on the flat network, as the engine has it. */
async function addresses(): Promise<Map<string, string>> {
	const containers = await suite.engine.docker.listContainers({all: true, filters: {label: ['com.docker.compose.project=arrs']}});
	return new Map(
		containers.map((summary) => [
			summary.Names[0]?.slice(1) as string,
			summary.NetworkSettings?.Networks?.['arrs-flat']?.IPAddress ?? '',
		]),
	);
}

test('eight apps with interval healthchecks are recreated side by side, a dependency before its dependent; the rollback likewise, back to the start', async () => {
	const cli = async (args: string[]) => runCli([...args, '--yes', '--host', suite.engine.host], {cwd: suite.stack.root});
	const before = await addresses();
	const applied = await cli(['apply']);
	assert.equal(applied.exitCode, 0, applied.all);
	assert.match(applied.stdout, /waiting for sonarr's first healthcheck: it runs every 15s \(3 retries\), so about 15s/);
	assertSideBySide('apply');
	const labels = (await suite.engine.docker.listContainers({filters: {label: ['com.example.tier=apps']}})).length;
	assert.equal(labels, 8, 'every app carries its new label');
	const back = await cli(['rollback']);
	assert.equal(back.exitCode, 0, back.all);
	assertSideBySide('rollback');
	// Compose brings a recreated app back at the engine's next free address; the rollback's recreates keep each its own.
	assert.match(back.stdout, /every address as before/);
	assert.deepEqual(await addresses(), before, 'every app at the address it had before the iteration');
	assert.deepEqual(await stackState(suite.engine.docker, suite.stack.root, 'arrs'), suite.start);
});
