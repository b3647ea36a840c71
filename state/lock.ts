/**
 * One run per stack: `lock.json`, created exclusively, records who holds it, since when and
 * for what. A lock whose process is gone (same host, dead PID) is stale and taken over; a live
 * one is refused with the holder's details. `force-unlock <id>` needs the lock's id, so it is
 * never removed by accident.
 */
import {randomUUID} from 'node:crypto';
import {closeSync, fsyncSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs';
import {hostname, userInfo} from 'node:os';
import {NetmigrateError} from '../source/errors.js';
import {privateFolder, statePaths} from './paths.js';

export type LockInfo = {id: string; pid: number; host: string; operator: string; command: string; since: string};

export type Lock = LockInfo & {release: () => void; tookOverStale?: LockInfo};

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
	const info: LockInfo = {id: randomUUID().slice(0, 8), pid: process.pid, host: hostname(), operator: operatorName(), command, since: new Date().toISOString()};
	let tookOverStale: LockInfo | undefined;
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = openSync(paths.lock, 'wx', 0o600);
			writeSync(fd, `${JSON.stringify(info)}\n`);
			fsyncSync(fd);
			closeSync(fd);
			return {...info, ...(tookOverStale ? {tookOverStale} : {}), release: () => releaseLock(stackRoot, info.id)};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const holder = readLock(stackRoot);
		if (holder && !isStale(holder)) {
			throw new NetmigrateError(`another netmigrate run holds the lock: ${describeLock(holder)}`, {
				code: 'locked',
				hint: `wait for it to finish; if you are sure it is gone, \`netmigrate force-unlock ${holder.id}\``,
			});
		}
		// Stale (dead PID on this host) or unreadable: remove it and try to create ours again.
		tookOverStale = holder;
		rmSync(paths.lock, {force: true});
	}
	throw new NetmigrateError('could not take the lock', {code: 'locked', hint: 'another run keeps taking it; try again'});
}

export function readLock(stackRoot: string): LockInfo | undefined {
	try {
		return JSON.parse(readFileSync(statePaths(stackRoot).lock, 'utf8')) as LockInfo;
	} catch {
		return undefined;
	}
}

export function releaseLock(stackRoot: string, id: string): void {
	const holder = readLock(stackRoot);
	if (holder?.id === id) rmSync(statePaths(stackRoot).lock, {force: true});
}

export function forceUnlock(stackRoot: string, id: string): LockInfo {
	const holder = readLock(stackRoot);
	if (!holder) throw new NetmigrateError('the stack is not locked', {code: 'bad-input'});
	if (holder.id !== id) {
		throw new NetmigrateError(`the lock's id is ${holder.id}, not ${id}`, {code: 'bad-input', hint: `the lock is held by ${describeLock(holder)}; pass its id to remove it`});
	}
	rmSync(statePaths(stackRoot).lock, {force: true});
	return holder;
}

function isStale(holder: LockInfo): boolean {
	if (holder.host !== hostname()) return false;
	try {
		process.kill(holder.pid, 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ESRCH';
	}
}

export function describeLock(holder: LockInfo): string {
	return `${holder.operator} on ${holder.host} (pid ${holder.pid}) running \`${holder.command}\` since ${holder.since}, lock id ${holder.id}`;
}
