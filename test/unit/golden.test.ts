import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {parse} from 'yaml';
import {exampleStack, repoRoot} from '../harness/engine.js';
import {changedFiles, engine28, planFromFiles} from '../harness/iteration.js';
import {treeHashes} from '../harness/stack.js';

export const goldenIteration1 = path.join(repoRoot, 'test/golden/media-stack-iteration-1');
/** The same iteration where the engine (28+) and compose (2.33+) honour gw_priority. */
export const goldenIteration1Engine28 = path.join(repoRoot, 'test/golden/media-stack-iteration-1-engine-28');

function goldenFiles(goldenIteration1 = goldenIteration1Path()): Map<string, string> {
	const files = new Map<string, string>();
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder)) {
			const full = path.join(folder, entry);
			if (statSync(full).isDirectory()) walk(full);
			else files.set(path.relative(goldenIteration1, full), readFileSync(full, 'utf8'));
		}
	};
	walk(goldenIteration1);
	return files;
}

function goldenIteration1Path(): string {
	return goldenIteration1;
}

test('on Engine 28 with Compose 2.40 the same iteration writes every new network with gw_priority -1, and nothing else differs', () => {
	const planned = planFromFiles(path.join(exampleStack, 'netmigrate.yml'), 0, engine28);
	const actual = changedFiles(planned);
	const golden = goldenFiles(goldenIteration1Engine28);
	assert.deepEqual([...actual.keys()].sort(), [...golden.keys()].sort());
	for (const [file, text] of golden) assert.equal(actual.get(file), text, file);
	for (const [file, text] of golden) {
		const plain = parse(goldenFiles().get(file) as string, {merge: true});
		const prioritised = parse(text, {merge: true});
		for (const [service, config] of Object.entries(
			prioritised.services as Record<string, {networks?: Record<string, {gw_priority?: number} | null>}>,
		)) {
			const before = plain.services[service].networks as string[] | Record<string, unknown> | undefined;
			const names = Array.isArray(before) ? before : Object.keys(before ?? {});
			assert.deepEqual(Object.keys(config.networks ?? {}), names, `${file}: ${service} joins the same networks`);
			for (const name of names)
				assert.equal(
					config.networks?.[name]?.gw_priority,
					name === 'media-network' ? undefined : -1,
					`${file}: ${service} ${name}`,
				);
		}
	}
});

test('applying iteration 1 of the example plan to its files yields exactly the golden files', () => {
	const before = treeHashes(exampleStack);
	const planned = planFromFiles(path.join(exampleStack, 'netmigrate.yml'), 0);
	const actual = changedFiles(planned);
	const golden = goldenFiles();
	assert.deepEqual([...actual.keys()].sort(), [...golden.keys()].sort());
	for (const [file, text] of golden) assert.equal(actual.get(file), text, file);
	assert.deepEqual(treeHashes(exampleStack), before, 'planning changes no file');
});

test('the golden files change only what iteration 1 asks: new networks declared external, services joined, the allow-list extended', () => {
	for (const [file, text] of goldenFiles()) {
		const original = parse(readFileSync(path.join(exampleStack, file), 'utf8'), {merge: true});
		const edited = parse(text, {merge: true});
		for (const [name, declaration] of Object.entries(edited.networks as Record<string, unknown>)) {
			if (name !== 'media-network') assert.deepEqual(declaration, {name, external: true}, `${file}: ${name}`);
		}
		for (const [service, config] of Object.entries(
			edited.services as Record<string, {networks?: string[] | Record<string, unknown>}>,
		)) {
			const networks = Array.isArray(config.networks) ? config.networks : Object.keys(config.networks ?? {});
			if ((original.services[service] as {network_mode?: string}).network_mode) continue;
			assert.ok(networks.includes('media-network'), `${file}: ${service} keeps the legacy network`);
		}
	}
	const gluetun = parse(goldenFiles().get('qbittorrent/docker-compose.yml') as string).services.gluetun.environment as string[];
	assert.ok(gluetun.includes('FIREWALL_OUTBOUND_SUBNETS=172.18.0.0/16,192.168.1.0/24,172.20.0.0/16'));
});
