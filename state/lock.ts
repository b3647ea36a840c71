/**
 * One run per stack: `lock.json` records who holds it (PID, start time, boot and host: see
 * holder.ts), since when and for what. A lock whose holder is dead is stale and taken over by
 * exactly one run, however many find it at once; a live one, or one from another host, is refused
 * with the holder's details; a damaged one (not a lock netmigrate wrote) is refused and shown,
 * with an id (its hash) that `force-unlock` takes. `force-unlock <id>` needs the lock's id, so it is never removed by
 * accident.
 */
import {randomUUID} from 'node:crypto';
import {linkSync, renameSync, rmSync} from 'node:fs';
import {userInfo} from 'node:os';
import {NetmigrateError} from '../source/errors.js';
import {sha256} from '../source/hash.js';
import {judgeHolder, ownIdentity, type HolderJudgement} from './holder.js';
import {readStateFile} from './nofollow.js';
import {privateFolder, statePaths, writeNewPrivateFile as writePrivate} from './paths.js';

/** `startTicks` and `bootId` are missing from the locks of older netmigrate versions: those are judged by PID alone. */
export type LockInfo = {
	id: string;
	pid: number;
	host: string;
	operator: string;
	command: string;
	since: string;
	startTicks?: number;
	bootId?: string;
};

/**
 * A lock with the judgement of its holder, as `status` and the wizard show it. `damaged`: lock.json
 * is not a lock netmigrate wrote (what it holds, shortened); its `id` is then the hash of its bytes,
 * which `force-unlock` takes, and the other fields say nothing.
 */
export type LockStatus = LockInfo & HolderJudgement & {damaged?: string};

export type Lock = LockInfo & {release: () => void; tookOverStale?: LockStatus};

/** lock.json as read: its exact bytes (what a takeover checks it replaces) and, when it parses, its content. */
type SeenLock = {raw: string; info?: LockInfo};

export function operatorName(): string {
	try {
		return process.env.SUDO_USER ?? userInfo().username;
	} catch {
		return 'unknown';
	}
}

export function acquireLock(stackRoot: string, command: string): Lock {
	const paths = statePaths(stackRoot);
	privateFolder(paths.root);
	const info: LockInfo = {
		id: randomUUID().slice(0, 8),
		...ownIdentity(),
		operator: operatorName(),
		command,
		since: new Date().toISOString(),
	};
	// Written whole under a name of its own, then put in place by link or rename: no reader ever sees a half-written lock.json.
	const draft = `${paths.lock}.new-${info.id}`;
	writePrivate(draft, `${JSON.stringify(info)}\n`);
	try {
		const {tookOverStale} = placeLock(paths.lock, draft);
		return {...info, ...(tookOverStale ? {tookOverStale} : {}), release: () => releaseLock(stackRoot, info.id)};
	} finally {
		rmSync(draft, {force: true});
	}
}

/** Puts the drafted lock where there is none, or over a stale one (which it returns, when it could be read). */
function placeLock(lockFile: string, draft: string): {tookOverStale?: LockStatus} {
	let stuck: {claim: string; id?: string} | undefined;
	for (let attempt = 0; attempt < 40; attempt++) {
		if (linkUnlessExists(draft, lockFile)) return {};
		const seen = readLockFile(lockFile);
		if (!seen) continue; // released in between
		// A lock it cannot read may be a live run's (edited, or from another tool): never taken over without the operator.
		if (!seen.info) throw damagedLockError(lockFile, seen.raw);
		const judged = {...seen.info, ...judgeHolder(seen.info)};
		if (judged.holder !== 'dead') throw lockedError(judged);
		const outcome = takeOver(lockFile, seen.raw, draft);
		if (outcome === 'taken') return {tookOverStale: judged};
		stuck = outcome === 'claimed' ? {claim: claimOf(lockFile, seen.raw), id: seen.info.id} : undefined;
		// Another run is taking it over this very moment: its lock appears within milliseconds.
		if (outcome === 'claimed') pause(50);
	}
	if (stuck) {
		// The claimant died between its claim and its rename: only an operator can tell that no run is still at it.
		throw new NetmigrateError(`a takeover of the stale lock was interrupted and left ${stuck.claim}`, {
			code: 'locked',
			hint: stuck.id
				? `make sure no netmigrate run is active, then \`netmigrate force-unlock ${stuck.id}\``
				: `make sure no netmigrate run is active, then remove ${stuck.claim} and lock.json`,
		});
	}
	throw new NetmigrateError('could not take the lock', {code: 'locked', hint: 'another run keeps taking it; try again'});
}

/**
 * Replaces the stale lock whose bytes are `raw`, unless another run got there first. Only one run
 * can: its claim is a hard link `lock.json.stale-<hash>` to the stale lock, and link() fails for
 * every run after the first. The claimant checks that the claimed file is the lock it judged (a
 * slow run may find lock.json already replaced by a live one), then renames its draft over
 * lock.json: rename replaces it in one step, with no moment without a lock for a third run to
 * create one in. No other run can replace the claimed lock meanwhile: that takes the same claim.
 * (Renaming the stale lock aside instead would let a slow run move a live lock aside, and while
 * it put it back a third run could create its own: two holders.)
 */
function takeOver(lockFile: string, raw: string, draft: string): 'taken' | 'claimed' | 'changed' {
	const claim = claimOf(lockFile, raw);
	try {
		linkSync(lockFile, claim);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') return 'claimed';
		if (code === 'ENOENT') return 'changed';
		throw error;
	}
	if (readStateFile(claim)?.toString('utf8') !== raw) {
		rmSync(claim, {force: true});
		return 'changed';
	}
	renameSync(draft, lockFile);
	rmSync(claim, {force: true});
	return 'taken';
}

export function readLock(stackRoot: string): LockInfo | undefined {
	try {
		return readLockFile(statePaths(stackRoot).lock)?.info;
	} catch {
		return undefined;
	}
}

/** The lock and whether its holder still runs, for `status` and the wizard's home screen; a damaged lock.json is shown as such. */
export function lockStatus(stackRoot: string): LockStatus | undefined {
	const seen = readLockFile(statePaths(stackRoot).lock);
	if (!seen) return undefined;
	if (seen.info) return {...seen.info, ...judgeHolder(seen.info)};
	const damaged = preview(seen.raw);
	return {
		id: damagedLockId(seen.raw),
		pid: 0,
		host: '',
		operator: '',
		command: '',
		since: '',
		holder: 'unknown',
		why: `lock.json is damaged: it holds ${damaged}, not a lock netmigrate wrote`,
		damaged,
	};
}

export function releaseLock(stackRoot: string, id: string): void {
	const holder = readLock(stackRoot);
	if (holder?.id === id) rmSync(statePaths(stackRoot).lock, {force: true});
}

export function forceUnlock(stackRoot: string, id: string): LockInfo {
	const lockFile = statePaths(stackRoot).lock;
	const seen = readLockFile(lockFile);
	if (!seen) throw new NetmigrateError('the stack is not locked', {code: 'bad-input'});
	const holder = seen.info;
	if (!holder) {
		const damagedId = damagedLockId(seen.raw);
		if (id !== damagedId) {
			throw new NetmigrateError(
				`lock.json is damaged (it holds ${preview(seen.raw)}, not a lock netmigrate wrote); its id for force-unlock is ${damagedId}, not ${id}`,
				{
					where: {file: lockFile},
					code: 'bad-input',
					hint: `once you are sure no netmigrate run is active, \`netmigrate force-unlock ${damagedId}\``,
				},
			);
		}
		rmSync(lockFile, {force: true});
		return {id: damagedId, pid: 0, host: '', operator: 'nobody (a damaged lock)', command: preview(seen.raw), since: ''};
	}
	if (holder.id !== id) {
		throw new NetmigrateError(`the lock's id is ${holder.id}, not ${id}`, {
			code: 'bad-input',
			hint: `the lock is held by ${describeLock(holder)}; pass its id to remove it`,
		});
	}
	rmSync(lockFile, {force: true});
	// What an interrupted takeover of this lock left behind, so the next run is not kept waiting on it.
	rmSync(claimOf(lockFile, seen.raw), {force: true});
	return holder;
}

export function describeLock(holder: LockInfo): string {
	return `${holder.operator} on ${holder.host} (pid ${holder.pid}) running \`${holder.command}\` since ${holder.since}, lock id ${holder.id}`;
}

/** "pid 4242, running `apply --iteration 1` since …", or "pid 4242, dead: the process is gone — the next run takes the lock over; …". */
export function describeHolder(lock: LockStatus): string {
	if (lock.holder === 'alive') return `pid ${lock.pid}, running \`${lock.command}\` since ${lock.since}`;
	const next =
		lock.holder === 'dead' ? 'the next run takes the lock over' : `\`netmigrate force-unlock ${lock.id}\` once that run is gone`;
	return `pid ${lock.pid}, ${lock.holder}: ${lock.why} — ${next}; \`${lock.command}\` since ${lock.since}`;
}

function lockedError(holder: LockStatus): NetmigrateError {
	const hint =
		holder.holder === 'unknown'
			? `look on ${holder.host}; once that run is gone, \`netmigrate force-unlock ${holder.id}\``
			: `wait for it to finish; if you are sure it is gone, \`netmigrate force-unlock ${holder.id}\``;
	return new NetmigrateError(`another netmigrate run holds the lock: ${describeLock(holder)} — ${holder.why}`, {code: 'locked', hint});
}

/** lock.json as read (never through a link); `info` only when it is a lock netmigrate wrote. */
function readLockFile(lockFile: string): SeenLock | undefined {
	const raw = readStateFile(lockFile)?.toString('utf8');
	if (raw === undefined) return undefined;
	try {
		const info = JSON.parse(raw) as Partial<LockInfo> | null;
		const complete =
			typeof info === 'object' &&
			info !== null &&
			['id', 'host', 'operator', 'command', 'since'].every((key) => typeof info[key as keyof LockInfo] === 'string') &&
			Number.isInteger(info.pid);
		return complete ? {raw, info: info as LockInfo} : {raw};
	} catch {
		return {raw};
	}
}

/** A damaged lock's id, for `force-unlock`: the start of its bytes' hash, so it names exactly the file the operator saw. */
function damagedLockId(raw: string): string {
	return sha256(raw).slice(0, 8);
}

/** What a damaged lock holds, described, never shown: a file linked or copied there may hold secrets. */
function preview(raw: string): string {
	if (!raw.trim()) return 'nothing (it is empty)';
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		return `${Buffer.byteLength(raw)} bytes that are not JSON`;
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
		return `JSON ${parsed === null ? 'null' : Array.isArray(parsed) ? 'list' : typeof parsed}`;
	const keys = Object.keys(parsed).filter((key) => /^[A-Za-z]{1,20}$/.test(key));
	return `a JSON object ${keys.length > 0 ? `with only ${keys.join(', ')}` : 'with none'} of the lock's id, pid, host, operator, command and since`;
}

function damagedLockError(lockFile: string, raw: string): NetmigrateError {
	return new NetmigrateError(
		`lock.json is not a lock netmigrate wrote (it holds ${preview(raw)}): netmigrate does not take over a lock it cannot read`,
		{
			where: {file: lockFile},
			code: 'locked',
			hint: `make sure no netmigrate run is active (\`ps -ef | grep netmigrate\`), then \`netmigrate force-unlock ${damagedLockId(raw)}\` removes it`,
		},
	);
}

/** Creates `target` as a second name of `source`, atomically and only where nothing has that name yet. */
function linkUnlessExists(source: string, target: string): boolean {
	try {
		linkSync(source, target);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
}

/** The claim on one stale lock, named by its bytes so that runs judging the same lock race for the same name. */
function claimOf(lockFile: string, raw: string): string {
	return `${lockFile}.stale-${sha256(raw).slice(0, 12)}`;
}

function pause(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
