/**
 * The journal's group commit (state/journal.ts): actions that run side by side share fsyncs,
 * and still no action starts before an fsync covering its intent has completed. An injected
 * fsync records how many bytes of the file existed when it started, so each test can check
 * what was on disk when a writer was let go; the crash test kills a real process mid-way.
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {fstatSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {after, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {Journal, readJournal, type JournalEntry} from '../../state/journal.js';
import {statePaths} from '../../state/paths.js';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, {recursive: true, force: true})));
function stackRoot(): string {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-journal-'));
	roots.push(root);
	return root;
}

/** An fsync that takes `ms` and records, when it completes, how many bytes it covered. */
function countingFsync(ms = 5) {
	const state = {calls: 0, durableBytes: 0};
	const fsync = async (fd: number) => {
		state.calls++;
		const covers = fstatSync(fd).size;
		await new Promise((resolve) => setTimeout(resolve, ms));
		state.durableBytes = Math.max(state.durableBytes, covers);
	};
	return {state, fsync};
}

/** Where an entry's line ends in the journal file, in bytes. */
function endOfEntry(root: string, seq: number): number {
	const text = readFileSync(statePaths(root).journal, 'utf8');
	const start = text.indexOf(`{"seq":${seq},`);
	assert.ok(start >= 0, `entry ${seq} is in the file`);
	return Buffer.byteLength(text.slice(0, text.indexOf('\n', start) + 1));
}

const connect = (container: string) => ({
	kind: 'network.connect' as const,
	network: 'frontend-net',
	container,
	service: container,
	aliases: [container],
});
const services = [
	'traefik',
	'jellyfin',
	'jellyseerr',
	'sonarr',
	'radarr',
	'prowlarr',
	'bazarr',
	'grafana',
	'prometheus',
	'dozzle',
	'autoheal',
	'cadvisor',
];

test('concurrent actions: each is let go only once an fsync covering its intent has completed, and they share fsyncs', async () => {
	const root = stackRoot();
	const {state, fsync} = countingFsync();
	const journal = new Journal(root, {fsync});
	const late: string[] = [];
	const runOne = async (container: string, index: number) => {
		const id = `multihome-${index + 1}`;
		const intent = await journal.commit({
			run: 'apply',
			iteration: 'one',
			step: 'multihome',
			id,
			phase: 'intent',
			action: connect(container),
		});
		// The action would start here: its intent must already be on disk.
		if (endOfEntry(root, intent.seq) > state.durableBytes) late.push(`${id} intent`);
		await new Promise((resolve) => setTimeout(resolve, index % 3));
		const done = await journal.commit({run: 'apply', iteration: 'one', step: 'multihome', id, phase: 'done', durationMs: 3});
		if (endOfEntry(root, done.seq) > state.durableBytes) late.push(`${id} done`);
	};
	await Promise.all(services.map(runOne));
	assert.deepEqual(late, [], 'no writer was let go before its entry was durable');
	const entries = readJournal(root);
	assert.equal(entries.length, 2 * services.length);
	assert.ok(
		state.calls < entries.length / 2,
		`${entries.length} entries from ${services.length} concurrent actions took ${state.calls} fsyncs`,
	);
	assert.ok(state.calls >= 2, 'an intent and its done are never covered by one fsync');
});

test('entries keep the order they were written in: seq follows the file, an outcome never precedes its intent', async () => {
	const root = stackRoot();
	const journal = new Journal(root, {fsync: countingFsync(2).fsync});
	const written = await Promise.all(
		services.map((container, index) =>
			journal.commit({
				run: 'apply',
				iteration: 'one',
				step: 'multihome',
				id: `multihome-${index + 1}`,
				phase: 'intent',
				action: connect(container),
			}),
		),
	);
	assert.deepEqual(
		written.map((entry) => entry.seq),
		services.map((_, index) => index + 1),
	);
	const entries = readJournal(root);
	assert.deepEqual(
		entries.map((entry) => `${entry.seq}:${(entry.action as {container: string}).container}`),
		services.map((container, index) => `${index + 1}:${container}`),
	);
	const next = new Journal(root, {fsync: countingFsync(2).fsync});
	assert.equal(next.lastSeq, services.length, 'a journal opened after them continues the sequence');
});

test('one writer alone still waits for its own fsync; a blocking append between commits is durable on return', async () => {
	const root = stackRoot();
	const {state, fsync} = countingFsync();
	const journal = new Journal(root, {fsync});
	const intent = await journal.commit({
		run: 'apply',
		iteration: 'one',
		step: 'networks',
		id: 'networks-1',
		phase: 'intent',
		action: connect('traefik'),
	});
	assert.equal(state.calls, 1);
	assert.ok(endOfEntry(root, intent.seq) <= state.durableBytes);
	journal.append({
		run: 'apply',
		iteration: 'one',
		step: 'multihome',
		id: 'multihome-plan',
		phase: 'planned',
		actions: [connect('traefik')],
	});
	await journal.commit({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-1', phase: 'done', durationMs: 1});
	assert.deepEqual(
		readJournal(root).map((entry) => entry.phase),
		['intent', 'planned', 'done'],
	);
});

test('an fsync that fails rejects the commit, so the action it announces never starts', async () => {
	const root = stackRoot();
	const journal = new Journal(root, {
		fsync: async () => {
			throw Object.assign(new Error('EIO: i/o error, fdatasync'), {code: 'EIO'});
		},
	});
	await assert.rejects(
		journal.commit({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-1', phase: 'intent', action: connect('traefik')}),
		/EIO/,
	);
});

const writer = fileURLToPath(new URL('../harness/journal-writer.ts', import.meta.url));

test('a process killed while 8 writers journal side by side leaves a readable journal: every applied action has its intent before it', async () => {
	const root = stackRoot();
	const child = spawn(process.execPath, ['--import', 'tsx', writer, root, '8'], {stdio: ['ignore', 'pipe', 'inherit']});
	const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
	let applied = 0;
	for await (const line of createInterface({input: child.stdout})) {
		if (line.startsWith('applied ')) applied++;
		if (applied === 200) {
			child.kill('SIGKILL');
			break;
		}
	}
	assert.equal(await exited, 'SIGKILL');
	const entries: JournalEntry[] = readJournal(root);
	assert.deepEqual(
		entries.map((entry) => entry.seq),
		entries.map((_, index) => index + 1),
		'complete entries, numbered without a gap',
	);
	const position = new Map(entries.filter((entry) => entry.phase === 'intent').map((entry, index) => [entry.id, index]));
	const appliedIds = readFileSync(path.join(root, 'applied.txt'), 'utf8').trim().split('\n');
	assert.ok(appliedIds.length >= 200);
	assert.deepEqual(
		appliedIds.filter((id) => !position.has(id)),
		[],
		'no action was applied without its intent in the journal',
	);
	for (const entry of entries.filter((item) => item.phase === 'done'))
		assert.ok(position.has(entry.id), `${entry.id}'s outcome follows its intent`);
	assert.equal(new Journal(root).lastSeq, entries.at(-1)?.seq, 'the journal opens again where it stopped');
});
