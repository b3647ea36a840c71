import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {NetmigrateError} from '../../source/errors.js';
import {readFileState, writeFileAtomic} from '../../source/engine/files.js';
import {judgeHealth} from '../../source/health.js';
import {backedUpContent, readBackup, writeBackup} from '../../state/backup.js';
import {Journal, readJournal} from '../../state/journal.js';
import {actionsOf} from '../../state/journal-queries.js';
import {acquireLock, forceUnlock, readLock} from '../../state/lock.js';
import {statePaths} from '../../state/paths.js';
import {Progress} from '../../state/progress.js';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, {recursive: true, force: true})));
function stackRoot(): string {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-state-'));
	roots.push(root);
	return root;
}

test('one run per stack: a second lock is refused with who holds it and how to remove it', () => {
	const root = stackRoot();
	const lock = acquireLock(root, 'apply --iteration 1');
	assert.throws(
		() => acquireLock(root, 'apply --iteration 1'),
		(error: NetmigrateError) =>
			error.code === 'locked' &&
			error.message.includes(`pid ${process.pid}`) &&
			error.message.includes('`apply --iteration 1`') &&
			(error.hint ?? '').includes(`force-unlock ${lock.id}`),
	);
	assert.equal(statSync(statePaths(root).lock).mode & 0o777, 0o600);
	assert.equal(statSync(statePaths(root).root).mode & 0o777, 0o700);
	lock.release();
	acquireLock(root, 'rollback').release();
});

test('a lock left by a dead process on this host is stale and taken over', () => {
	const root = stackRoot();
	const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
	acquireLock(root, 'apply').release();
	writeFileSync(
		statePaths(root).lock,
		JSON.stringify({id: 'deadbeef', pid: dead, host: hostname(), operator: 'root', command: 'apply', since: '2026-01-01T00:00:00Z'}),
	);
	const lock = acquireLock(root, 'apply');
	assert.equal(lock.tookOverStale?.pid, dead);
	assert.equal(readLock(root)?.id, lock.id);
	lock.release();
});

test('force-unlock needs the lock id', () => {
	const root = stackRoot();
	const lock = acquireLock(root, 'apply');
	assert.throws(() => forceUnlock(root, 'wrong'), /the lock's id is/);
	assert.equal(forceUnlock(root, lock.id).pid, process.pid);
	assert.equal(readLock(root), undefined);
});

test('the journal is append-only JSON lines; a torn last line (crash mid-write) is ignored, then cut off before the next append; outcomes pair with intents', () => {
	const root = stackRoot();
	const journal = new Journal(root);
	const action = {
		kind: 'network.create' as const,
		network: 'dmz-net',
		subnet: '172.20.0.0/24',
		internal: false,
		driver: 'bridge',
		labels: {},
	};
	journal.append({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-1', phase: 'intent', action});
	journal.append({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-1', phase: 'done', durationMs: 30});
	journal.append({
		run: 'apply',
		iteration: 'one',
		step: 'networks',
		id: 'networks-2',
		phase: 'intent',
		action: {...action, network: 'b-net'},
	});
	appendFileSync(statePaths(root).journal, '{"seq":4,"at":"2026');
	const entries = readJournal(root);
	assert.deepEqual(
		entries.map((entry) => entry.seq),
		[1, 2, 3],
	);
	assert.deepEqual(
		actionsOf(entries, 'one', 'apply').map((item) => `${item.id}:${item.outcome}`),
		['networks-1:done', 'networks-2:unknown'],
	);
	assert.equal(statSync(statePaths(root).journal).mode & 0o777, 0o600);
	const next = new Journal(root);
	assert.equal(next.lastSeq, 3, 'a new journal continues the sequence');
	next.append({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-2', phase: 'done', durationMs: 20});
	assert.deepEqual(
		readJournal(root).map((entry) => entry.seq),
		[1, 2, 3, 4],
		'the torn fragment was cut off, so the next entry is readable',
	);
	assert.deepEqual(
		readJournal(root, 2).map((entry) => entry.seq),
		[3, 4],
		'entries after a seq',
	);
	assert.deepEqual(
		next.since(3).map((entry) => `${entry.seq}:${entry.phase}`),
		['4:done'],
	);
	next.append({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-3', phase: 'intent', action});
	assert.deepEqual(
		next.since(3).map((entry) => entry.seq),
		[4, 5],
		'appends join the entries already read',
	);
	assert.deepEqual(
		next.since(1).map((entry) => entry.seq),
		[2, 3, 4, 5],
		'an earlier start reads the file again',
	);
});

test('a damaged line with entries after it is an error naming the line and the way out, never a silent cut', () => {
	const root = stackRoot();
	const journal = new Journal(root);
	const action = {
		kind: 'network.create' as const,
		network: 'dmz-net',
		subnet: '172.20.0.0/24',
		internal: false,
		driver: 'bridge',
		labels: {},
	};
	journal.append({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-1', phase: 'intent', action});
	journal.append({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-1', phase: 'done', durationMs: 30});
	journal.append({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-2', phase: 'intent', action});
	const file = statePaths(root).journal;
	const lines = readFileSync(file, 'utf8').split('\n');
	lines[1] = '{"seq":2,"at":"2026-11-24T10:00:00Z","run":"apply",GARBAGE';
	writeFileSync(file, lines.join('\n'));
	assert.throws(
		() => readJournal(root),
		(error: unknown) =>
			error instanceof NetmigrateError &&
			/damaged at line 2/.test(error.message) &&
			error.where?.line === 2 &&
			/restore the journal from a copy/.test(error.hint ?? ''),
	);
});

test('the state folder keeps itself out of git: a .gitignore of *, 0600', () => {
	const root = stackRoot();
	new Journal(root).append({run: 'apply', iteration: 'one', step: 'networks', id: 'networks-1', phase: 'planned', actions: []});
	const ignore = path.join(statePaths(root).root, '.gitignore');
	assert.match(readFileSync(ignore, 'utf8'), /^\*$/m);
	assert.equal(statSync(ignore).mode & 0o777, 0o600);
});

test('progress persists across processes in a 0600 file', () => {
	const root = stackRoot();
	new Progress(root).save({
		name: 'one',
		index: 0,
		status: 'running',
		mode: 'live',
		operator: 'root',
		toolVersion: '0.1.0',
		startedAt: 'now',
		journalStart: 0,
		steps: {preflight: {status: 'done'}},
	});
	const again = new Progress(root);
	again.setStep('one', 'backup', {status: 'running'});
	assert.deepEqual(Object.keys(new Progress(root).iteration('one')?.steps ?? {}), ['preflight', 'backup']);
	assert.equal(statSync(path.join(statePaths(root).root, 'progress.json')).mode & 0o777, 0o600);
});

test('backups are 0600 copies with a sha256 manifest; a tampered copy is refused on restore', () => {
	const root = stackRoot();
	const file = path.join(root, 'docker-compose.yml');
	writeFileSync(file, 'services: {}\n', {mode: 0o640});
	const state = readFileState(file);
	assert.ok(state);
	const manifest = writeBackup(
		root,
		'one',
		[{path: file, content: state.content, mode: state.mode, uid: state.uid, gid: state.gid}],
		{networks: []},
		{traefik: ['media-network']},
	);
	assert.equal(readBackup(root, 'one')?.files[0]?.sha256, manifest.files[0]?.sha256);
	const copy = path.join(statePaths(root).backups, 'one', manifest.files[0]?.copy ?? '');
	assert.equal(statSync(copy).mode & 0o777, 0o600);
	assert.equal(backedUpContent(root, 'one', manifest.files[0] as never).toString(), 'services: {}\n');
	writeFileSync(copy, 'tampered\n');
	assert.throws(() => backedUpContent(root, 'one', manifest.files[0] as never), /does not match its manifest hash/);
});

test("the manifest records each container's health when the iteration began; one written before that has none, and is judged as before", () => {
	const root = stackRoot();
	const health = {
		'media-jellyseerr-1': {service: 'jellyseerr', state: 'running', health: 'unhealthy' as const},
		'media-fixer-1': {service: 'fixer', state: 'exited', health: 'none' as const, exitCode: 0, restartPolicy: 'no'},
	};
	writeBackup(root, 'one', [], {}, {}, {health});
	assert.deepEqual(readBackup(root, 'one')?.health, health);
	writeBackup(root, 'two', [], {}, {});
	const old = readBackup(root, 'two');
	assert.ok(old);
	assert.equal('health' in old, false);
	assert.deepEqual(
		judgeHealth([{container: 'media-jellyseerr-1', service: 'jellyseerr', state: 'running', health: 'unhealthy'}], old.health).map(
			(result) => result.ok,
		),
		[false],
	);
	assert.deepEqual(
		judgeHealth(
			[{container: 'media-jellyseerr-1', service: 'jellyseerr', state: 'running', health: 'unhealthy'}],
			readBackup(root, 'one')?.health,
		).map((result) => result.ok),
		[true],
	);
});

test('atomic writes keep the file mode and leave no temporary file behind', () => {
	const root = stackRoot();
	const file = path.join(root, 'compose.yml');
	writeFileSync(file, 'a\n', {mode: 0o640});
	writeFileAtomic(file, 'b\n', {mode: 0o640});
	assert.equal(readFileSync(file, 'utf8'), 'b\n');
	assert.equal(statSync(file).mode & 0o777, 0o640);
	assert.deepEqual(readdir(root), ['compose.yml']);
});

function readdir(folder: string): string[] {
	return (spawnSync('ls', ['-A', folder], {encoding: 'utf8'}).stdout as string).split('\n').filter(Boolean);
}
