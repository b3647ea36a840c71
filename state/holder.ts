/**
 * Whether the process that took a lock still runs. A PID alone says little: once the process is
 * gone the kernel hands its number out again, and after a restart every number is new. So a
 * holder is recorded as its PID, its start time (field 22 of /proc/<pid>/stat, clock ticks since
 * boot), the boot it started in (/proc/sys/kernel/random/boot_id) and the host name, and judged
 * by all of them. A holder on another host (a stack folder on shared storage) is never judged:
 * this host cannot see that host's processes.
 */
import {readFileSync} from 'node:fs';
import {hostname} from 'node:os';

export type ProcessIdentity = {pid: number; host: string; startTicks?: number; bootId?: string};

/** `dead` locks are taken over by the next run; `alive` and `unknown` ones are not. */
export type HolderState = 'alive' | 'dead' | 'unknown';

export type HolderJudgement = {holder: HolderState; why: string};

/** This process, as a lock records it. */
export function ownIdentity(): ProcessIdentity {
	const startTicks = processStat(process.pid)?.startTicks;
	const bootId = currentBootId();
	return {pid: process.pid, host: hostname(), ...(startTicks === undefined ? {} : {startTicks}), ...(bootId ? {bootId} : {})};
}

export function judgeHolder(holder: ProcessIdentity): HolderJudgement {
	if (holder.host !== hostname()) {
		return {holder: 'unknown', why: 'a process on another host, which this host cannot see: never taken over automatically'};
	}
	if (!Number.isInteger(holder.pid) || holder.pid <= 0) return {holder: 'dead', why: `the lock names no process (pid ${holder.pid})`};
	const bootId = currentBootId();
	if (holder.bootId && bootId && holder.bootId !== bootId) return {holder: 'dead', why: 'the host has restarted since'};
	const stat = processStat(holder.pid);
	if (!stat) return judgeByPidAlone(holder.pid);
	// A killed process stays in the table until its parent reaps it; it holds nothing any more.
	if (stat.state === 'Z' || stat.state === 'X') return {holder: 'dead', why: 'the process has exited'};
	if (holder.startTicks === undefined)
		return {holder: 'alive', why: 'a process with that PID runs (a lock from an older netmigrate: judged by its PID alone)'};
	if (stat.startTicks !== holder.startTicks)
		return {holder: 'dead', why: `the process is gone; pid ${holder.pid} now belongs to another process`};
	return {holder: 'alive', why: 'the process is running'};
}

/**
 * Without /proc (not Linux) or with another user's process hidden in it (hidepid), only
 * `kill(pid, 0)` answers, and more weakly: it cannot tell the holder from a later process that
 * got its PID, so a reused PID keeps a dead holder's lock until `force-unlock`. It errs on the
 * side of refusing, never of two runs at once.
 */
function judgeByPidAlone(pid: number): HolderJudgement {
	try {
		process.kill(pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ESRCH') return {holder: 'dead', why: 'the process is gone'};
	}
	return {holder: 'alive', why: 'a process with that PID exists (judged by its PID alone: its start time cannot be read here)'};
}

/** A process's state letter and start time, or undefined where /proc cannot be read for it. */
function processStat(pid: number): {state: string; startTicks: number} | undefined {
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}
	// Field 2, the command name, is in parentheses and may itself hold spaces and ')': count from the last ')'.
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
	const startTicks = Number(fields[19]);
	return Number.isSafeInteger(startTicks) ? {state: fields[0] ?? '', startTicks} : undefined;
}

function currentBootId(): string | undefined {
	try {
		return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
	} catch {
		return undefined;
	}
}
