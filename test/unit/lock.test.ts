/**
 * The run lock judged by its holder's identity — PID, start time, boot and host — and taken
 * over by exactly one run when several find the same stale lock at once (real processes race
 * for it). `status` and the wizard say whether the holder still runs.
 */
import assert from 'node:assert/strict';
import {fork, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {cpSync, existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {statusCommand} from '../../source/commands/run.js';
import type {NetmigrateError} from '../../source/errors.js';
import {sha256} from '../../source/hash.js';
import {homeMessages} from '../../source/ui/HomeScreen.js';
import {acquireLock, forceUnlock, lockStatus, readLock, type LockInfo} from '../../state/lock.js';
import {privateFolder, statePaths} from '../../state/paths.js';
import {repoRoot} from '../harness/engine.js';
import {overview} from '../harness/fixtures.js';
import type {RacerReport} from '../harness/lock-racer.js';

const roots: string[] = [];
const children: ChildProcess[] = [];
after(() => {
	children.forEach((child) => child.kill());
	roots.forEach((root) => rmSync(root, {recursive: true, force: true}));
});

const linux = existsSync('/proc/self/stat');
const bootId = linux ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : undefined;

function stackRoot(): string {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-lock-'));
	roots.push(root);
	return root;
}

/** Field 22 of /proc/<pid>/stat, read here independently of the code under test. */
function startTicks(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

function deadPid(): number {
	return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

/** Leaves a lock.json as a run with this identity would have written it. */
function writeLock(root: string, holder: Partial<LockInfo> & {pid: number}): LockInfo {
	privateFolder(statePaths(root).root);
	const info: LockInfo = {
		id: 'a1b2c3d4',
		host: hostname(),
		operator: 'root',
		command: 'apply --iteration 1',
		since: '2026-01-01T00:00:00.000Z',
		...holder,
	};
	writeFileSync(statePaths(root).lock, `${JSON.stringify(info)}\n`, {mode: 0o600});
	return info;
}

function leftovers(root: string): string[] {
	return readdirSync(statePaths(root).root).filter((name) => name.startsWith('lock.json.'));
}

test('a new lock records its holder: PID, start time, boot id and host', {skip: !linux}, () => {
	const root = stackRoot();
	const lock = acquireLock(root, 'apply --iteration 1');
	const recorded = readLock(root);
	assert.equal(recorded?.pid, process.pid);
	assert.equal(recorded?.startTicks, startTicks(process.pid));
	assert.equal(recorded?.bootId, bootId);
	assert.equal(recorded?.host, hostname());
	assert.equal(lockStatus(root)?.holder, 'alive');
	assert.deepEqual(leftovers(root), [], 'the draft it was written under is gone');
	lock.release();
});

test(
	'a live holder (another process, start time matching) keeps the lock: the next run is refused as locked',
	{skip: !linux},
	async (t) => {
		const root = stackRoot();
		const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
		t.after(() => holder.kill());
		await new Promise((resolve) => holder.once('spawn', resolve));
		const pid = holder.pid as number;
		writeLock(root, {pid, startTicks: startTicks(pid), bootId});
		assert.throws(
			() => acquireLock(root, 'apply'),
			(error: NetmigrateError) =>
				error.code === 'locked' &&
				/running `apply --iteration 1` since .*, lock id a1b2c3d4 — the process is running/.test(error.message) &&
				(error.hint ?? '').includes('force-unlock a1b2c3d4'),
		);
		assert.equal(readLock(root)?.id, 'a1b2c3d4', 'the live lock is untouched');
		assert.deepEqual(leftovers(root), []);
	},
);

test('a reused PID is no holder: a lock naming this live process with another start time is stale', {skip: !linux}, () => {
	const root = stackRoot();
	writeLock(root, {pid: process.pid, startTicks: startTicks(process.pid) - 1, bootId});
	assert.equal(lockStatus(root)?.holder, 'dead');
	const lock = acquireLock(root, 'apply');
	assert.equal(lock.tookOverStale?.id, 'a1b2c3d4');
	assert.match(lock.tookOverStale?.why ?? '', /pid \d+ now belongs to another process/);
	assert.equal(readLock(root)?.id, lock.id);
	lock.release();
});

test(
	'a lock from before the last restart (another boot id) is stale, even where its PID and start time match a live process',
	{skip: !linux},
	() => {
		const root = stackRoot();
		writeLock(root, {pid: process.pid, startTicks: startTicks(process.pid), bootId: '00000000-0000-4000-8000-000000000000'});
		assert.deepEqual(pick(lockStatus(root)), {holder: 'dead', why: 'the host has restarted since'});
		const lock = acquireLock(root, 'apply');
		assert.equal(lock.tookOverStale?.id, 'a1b2c3d4');
		lock.release();
	},
);

test('a lock taken on another host is never judged stale, even with a PID that is dead here', () => {
	const root = stackRoot();
	writeLock(root, {pid: deadPid(), host: 'nas-2', startTicks: 1, bootId: '00000000-0000-4000-8000-000000000000'});
	assert.equal(lockStatus(root)?.holder, 'unknown');
	assert.throws(
		() => acquireLock(root, 'apply'),
		(error: NetmigrateError) =>
			error.code === 'locked' &&
			error.message.includes('never taken over automatically') &&
			(error.hint ?? '') === 'look on nas-2; once that run is gone, `netmigrate force-unlock a1b2c3d4`',
	);
	assert.equal(readLock(root)?.host, 'nas-2');
});

test('a lock of an older netmigrate (no start time, no boot id) is judged by its PID alone', () => {
	const root = stackRoot();
	writeLock(root, {pid: process.pid});
	assert.equal(lockStatus(root)?.holder, 'alive');
	assert.throws(
		() => acquireLock(root, 'apply'),
		(error: NetmigrateError) => error.code === 'locked',
	);
	writeLock(root, {pid: deadPid()});
	assert.deepEqual(pick(lockStatus(root)), {holder: 'dead', why: 'the process is gone'});
	acquireLock(root, 'apply').release();
});

test('a takeover interrupted between its claim and its rename is refused, naming force-unlock, which clears it', () => {
	const root = stackRoot();
	const stale = writeLock(root, {pid: deadPid()});
	const lockFile = statePaths(root).lock;
	linkSync(lockFile, `${lockFile}.stale-${sha256(readFileSync(lockFile, 'utf8')).slice(0, 12)}`);
	assert.throws(
		() => acquireLock(root, 'apply'),
		(error: NetmigrateError) =>
			error.code === 'locked' &&
			/takeover of the stale lock was interrupted/.test(error.message) &&
			(error.hint ?? '').includes(`force-unlock ${stale.id}`),
	);
	forceUnlock(root, stale.id);
	assert.deepEqual(leftovers(root), []);
	acquireLock(root, 'apply').release();
});

test('several processes finding the same stale lock at once: exactly one takes it over, the others are refused', async () => {
	const root = stackRoot();
	const racers = await Promise.all(Array.from({length: 8}, () => startRacer(root)));
	for (let round = 0; round < 8; round++) {
		const stale = writeLock(root, {id: `dead${round}`, pid: deadPid(), ...(linux ? {startTicks: 1, bootId} : {})});
		const reports = await Promise.all(racers.map((racer) => ask<RacerReport>(racer, 'take')));
		const winners = reports.filter((report) => report.won);
		assert.equal(winners.length, 1, JSON.stringify(reports));
		assert.deepEqual(winners[0], {won: true, id: readLock(root)?.id, tookOver: stale.id});
		for (const report of reports) if (!report.won) assert.equal(report.code, 'locked', report.message);
		assert.deepEqual(leftovers(root), [], 'no claim or draft is left behind');
		await Promise.all(racers.map((racer) => ask(racer, 'release')));
	}
});

test('`status` and the home screen say whether the holder runs', async () => {
	const root = stackRoot();
	cpSync(path.join(repoRoot, 'examples/media-stack'), root, {recursive: true});
	const plan = path.join(root, 'netmigrate.yml');
	const status = (json = false) => {
		const lines: string[] = [];
		statusCommand({plan, host: 'unix:///nonexistent.sock', json, yes: false}, (line) => lines.push(line));
		return lines.join('\n');
	};
	const held = acquireLock(root, 'apply --iteration 1');
	assert.match(
		status(),
		new RegExp(
			`Locked by \\S+ on ${hostname()} \\(pid ${process.pid}, running \`apply --iteration 1\` since [^)]+\\) — lock id ${held.id}`,
		),
	);
	held.release();
	const dead = deadPid();
	writeLock(root, {pid: dead});
	assert.match(
		status(),
		new RegExp(
			`Locked by root on ${hostname()} \\(pid ${dead}, dead: the process is gone — the next run takes the lock over; \`apply --iteration 1\` since 2026-01-01T00:00:00.000Z\\) — lock id a1b2c3d4`,
		),
	);
	assert.deepEqual(pick(JSON.parse(status(true)).lock), {holder: 'dead', why: 'the process is gone'});
	const lock = lockStatus(root);
	assert.ok(lock);
	const home = homeMessages({...overview(), status: {...overview().status, lock}}).join('\n');
	assert.match(home, new RegExp(`locked by root \\(pid ${dead}, dead: the process is gone — the next run takes the lock over\\)`));
	const elsewhere = homeMessages({
		...overview(),
		status: {...overview().status, lock: {...lock, host: 'nas-2', holder: 'unknown', why: 'held elsewhere'}},
	}).join('\n');
	assert.match(elsewhere, /locked by root on nas-2 \(pid \d+, unknown: held elsewhere — force-unlock a1b2c3d4 once that run is gone\)/);
});

function pick(lock: {holder?: string; why?: string} | undefined) {
	return {holder: lock?.holder, why: lock?.why};
}

async function startRacer(root: string): Promise<ChildProcess> {
	const child = fork(path.join(repoRoot, 'test/harness/lock-racer.ts'), [root], {execArgv: ['--import', 'tsx'], stdio: 'inherit'});
	children.push(child);
	await new Promise((resolve, reject) => {
		child.once('message', resolve);
		child.once('error', reject);
	});
	return child;
}

function ask<T>(child: ChildProcess, message: string): Promise<T> {
	return new Promise((resolve) => {
		child.once('message', (reply) => resolve(reply as T));
		child.send(message);
	});
}
