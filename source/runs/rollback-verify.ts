/**
 * A rollback's verification: the stack against the backup's snapshot — every file the rollback
 * wrote holds what it wrote (sha256), every container is on exactly its networks from before
 * (with the same aliases, pinned addresses and live namespace: source/membership.ts), every
 * network it removed is gone — and the default routes, which the engine picks, compared.
 */
import path from 'node:path';
import type {Action} from '../actions.js';
import type {DefaultRoutes} from '../domain.js';
import {defaultRoutesOf, movedDefaultRoutes} from '../engine/default-routes.js';
import type {Engine} from '../engine/docker.js';
import {readFileState} from '../engine/files.js';
import {Prober} from '../engine/probe.js';
import {NetmigrateError} from '../errors.js';
import type {Emit} from '../events.js';
import {addressesOf, changedAddresses, membershipProblems, recordFromNames} from '../membership.js';
import type {LoadedPlan} from '../plan/load.js';
import {membershipRecordOf} from '../stack-membership.js';
import {stackContainers} from '../engine/swarm-tasks.js';
import {readBackup, type BackupManifest} from '../../state/backup.js';
import type {Progress, StepProgress} from '../../state/progress.js';

/**
 * What each file the rollback writes holds when it is done: the sha256 its last write leaves —
 * the backup's, or a merge's for a file the operator changed since. A file written twice
 * (multi-home, then the firewall) is one file restored.
 */
function intendedFiles(actions: Action[]): Map<string, string> {
	const intended = new Map<string, string>();
	for (const action of actions) if (action.kind === 'file.write') intended.set(action.path, action.sha256After);
	return intended;
}

export function restoredBy(actions: Action[]): string[] {
	return [...intendedFiles(actions).keys()];
}

/** Restored files whose text is a merge that kept the operator's changes, not their backup. */
function mergedBy(actions: Action[], manifest: BackupManifest | undefined): string[] {
	const backedUp = new Map(manifest?.files.map((file) => [file.path, file.sha256]));
	return [...intendedFiles(actions)]
		.filter(([file, intended]) => backedUp.has(file) && backedUp.get(file) !== intended)
		.map(([file]) => file);
}

/** What a verification reads: the stack after the rollback's actions, and what they were. */
export type VerifyInput = {
	engine: Engine;
	host: string;
	loaded: LoadedPlan;
	name: string;
	progress: Progress;
	actions: Action[];
	restoredFiles: string[];
	emit: Emit;
};

/**
 * The stack against the backup's snapshot (`differencesFromBackup`): any difference fails the
 * rollback, left to finish by running it again; a default route still moved is a warning (the
 * engine picks it). Then the iteration is rolled back, and the lines saying what was verified.
 */
export async function verifyRollback({
	engine,
	host,
	loaded,
	name,
	progress,
	actions,
	restoredFiles,
	emit,
}: VerifyInput): Promise<{verified: string[]; mergedFiles: string[]}> {
	const manifest = readBackup(loaded.project.root, name);
	const differences = await differencesFromBackup(engine, host, loaded, manifest, actions);
	if (differences.length > 0) {
		progress.update(name, (item) => {
			item.error = `rollback verification: ${differences.join('; ')}`;
		});
		throw new NetmigrateError(`the rollback finished, but the stack differs from the snapshot: ${differences.join('; ')}`, {
			hint: 'look at the differences above; run `netmigrate rollback` again after fixing them',
		});
	}
	const stillMoved = movedDefaultRoutes(manifest?.defaultRoutes ?? {}, await routesNow(engine, host, loaded.project.projectName));
	for (const move of stillMoved) {
		emit({
			type: 'log',
			level: 'warn',
			message: `${move.container}'s default route leaves through ${move.after ?? 'no network'}, not ${move.before ?? 'none'} as before (the engine picks it among the networks the container is on)`,
		});
	}
	const mergedFiles = mergedBy(actions, manifest);
	const merges = mergedFiles.length > 0 ? `, ${mergedFiles.length} merged with your changes` : '';
	const count = Object.keys(manifest?.membership ?? {}).length;
	// A swarm's record, and a backup from before aliases were recorded, hold network names only.
	const containers =
		manifest?.record && loaded.plan.target !== 'swarm'
			? `${count} containers with their networks, aliases and pinned addresses as before`
			: `${count} containers on exactly their networks from before`;
	const verified = [
		`${restoredFiles.length} restored file${restoredFiles.length === 1 ? '' : 's'} byte-identical (sha256)${merges}`,
		containers,
		...(await addressSummary(engine, loaded, manifest)),
	];
	progress.update(name, (item) => {
		item.status = 'rolled-back';
		item.finishedAt = new Date().toISOString();
		delete item.error;
		for (const step of Object.keys(item.steps))
			if (item.steps[step]?.status !== 'pending') (item.steps[step] as StepProgress).status = 'rolled-back';
	});
	return {verified, mergedFiles};
}

/**
 * What differs from the snapshot: a file the rollback restored that does not hold what it
 * wrote (its backup, or the merge for a file the operator changed since), a container not on
 * exactly its networks from before — with the same aliases and pinned addresses on each, and a
 * follower in a live namespace (source/membership.ts) — a network it removed that remains.
 * Files netmigrate never wrote, or left as the operator had them (`--on-conflict theirs`), are theirs.
 */
async function differencesFromBackup(
	engine: Engine,
	host: string,
	loaded: LoadedPlan,
	manifest: BackupManifest | undefined,
	actions: Action[],
): Promise<string[]> {
	const differences: string[] = [];
	if (!manifest) return differences;
	const backedUp = new Map(manifest.files.map((file) => [file.path, file.sha256]));
	for (const [file, intended] of intendedFiles(actions)) {
		if (readFileState(file)?.sha256 !== intended)
			differences.push(
				`${path.relative(loaded.project.root, file)} differs from ${backedUp.get(file) === intended ? 'its backup' : 'the merge the rollback wrote'}`,
			);
	}
	const now = await membershipRecordOf(engine, host, loaded.project.projectName, loaded.plan.target);
	differences.push(...membershipProblems(manifest.record ?? recordFromNames(manifest.membership), now));
	for (const action of actions) {
		if (action.kind === 'network.remove' && (await stillThere(engine, action.network)))
			differences.push(`network ${action.network} still exists`);
	}
	return differences;
}

/**
 * A removed network the engine still answers for after 10 s. A swarm's overlay can outlive its
 * removal for a moment while the other nodes let go of it (CI: "network frontend-net still
 * exists" right after its remove succeeded, on the two-node swarm).
 */
async function stillThere(engine: Engine, network: string): Promise<boolean> {
	for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250)))
		if (!(await engine.inspectNetwork(network))) return false;
	return (await engine.inspectNetwork(network)) !== undefined;
}

/**
 * How many addresses the rollback could not keep: its recreates ask for each container's old
 * address (source/engine/keep-addresses.ts), which the engine refuses on a network without a
 * configured subnet and when another container took it; "as before" would be untrue of those.
 */
async function addressSummary(engine: Engine, loaded: LoadedPlan, manifest: BackupManifest | undefined): Promise<string[]> {
	if (!manifest?.addresses || loaded.plan.target === 'swarm') return [];
	const now = addressesOf(await stackContainers(engine, loaded.project.projectName, loaded.plan.target));
	const changed = changedAddresses(manifest.addresses, now, manifest.record);
	if (changed.length === 0) return ['every address as before'];
	const shown = changed
		.slice(0, 3)
		.map((item) => `${item.container} ${item.before} → ${item.after} on ${item.network}`)
		.join(', ');
	return [
		`${changed.length} address${changed.length === 1 ? '' : 'es'} changed, none pinned in the stack (the engine gives a recreated container its old address back only on a network with a configured subnet, while no other container has it): ${shown}${changed.length > 3 ? ', …' : ''}`,
	];
}

/** The default routes after a rollback: on an engine on another machine, read by probes there (removed right after). */
async function routesNow(engine: Engine, host: string, project: string): Promise<DefaultRoutes> {
	if (host.startsWith('unix://')) return defaultRoutesOf(engine, host, project);
	const prober = new Prober(engine, project);
	try {
		return await defaultRoutesOf(engine, host, project, {prober});
	} finally {
		await prober.close();
	}
}
