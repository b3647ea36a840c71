/**
 * Backup: every compose file and env file the plan may touch, and snapshots of the engine —
 * networks, the legacy network, containers with their networks (aliases and pinned addresses
 * on each, the namespace a follower shares), default routes, and each container's state and
 * health — before anything changes. Rollback restores the files from here (sha256-checked); the
 * checks after an apply and the rollback's verification compare membership with it
 * (source/membership.ts); the checks and every recreate's gate judge health against it
 * (source/health.ts).
 */
import type {ComposeModel} from '../source/compose/project.js';
import {defaultRoutesOf} from '../source/engine/default-routes.js';
import type {Engine} from '../source/engine/docker.js';
import type {Prober} from '../source/engine/probe.js';
import {readFileState} from '../source/engine/files.js';
import {stackContainers} from '../source/engine/swarm-tasks.js';
import {healthBaselineOf} from '../source/health.js';
import {addressesOf} from '../source/membership.js';
import {membershipNamesOf, membershipRecordOf} from '../source/stack-membership.js';
import type {Plan} from '../source/plan/schema.js';
import {writeBackup, type BackupManifest} from '../state/backup.js';
import type {Step} from './step.js';

export const backupStep: Step = {
	name: 'backup',
	title: 'Backup',
	changesHost: false,
	async run(run) {
		const manifest = await backup(run.engine, run.host, run.loaded.project, run.loaded.plan, run.iteration.name, run.prober);
		run.manifest = manifest;
		return `${manifest.files.length} files and ${manifest.snapshots.length} snapshots in .netmigrate/backups/${run.iteration.name}/`;
	},
};

export function filesToBackUp(project: ComposeModel, plan: Plan): string[] {
	const files = new Set<string>([...project.files.keys()]);
	if (project.env) files.add(project.env.path);
	for (const iteration of plan.iterations) {
		for (const rule of iteration.firewall) for (const envFile of project.services.get(rule.service)?.envFiles ?? []) files.add(envFile);
	}
	return [...files];
}

export async function backup(
	engine: Engine,
	host: string,
	project: ComposeModel,
	plan: Plan,
	iteration: string,
	prober?: Prober,
): Promise<BackupManifest> {
	const files = filesToBackUp(project, plan).flatMap((file) => {
		const state = readFileState(file);
		return state ? [{path: file, content: state.content, mode: state.mode, uid: state.uid, gid: state.gid}] : [];
	});
	const [networks, containers] = await Promise.all([engine.listNetworks(), stackContainers(engine, project.projectName, plan.target)]);
	const membership = membershipNamesOf(containers);
	const record = await membershipRecordOf(engine, host, project.projectName, plan.target, containers);
	const defaultRoutes = await defaultRoutesOf(engine, host, project.projectName, prober ? {prober} : {});
	// Probes read them on a remote engine: none is left in a namespace that a recreate will replace.
	await prober?.close();
	const legacy = networks.find((network) => network.name === plan.legacy);
	return writeBackup(
		project.root,
		iteration,
		files,
		{
			'networks-before': networks.map(({name, driver, internal, subnets, labels}) => ({name, driver, internal, subnets, labels})),
			'legacy-network-before': legacy ?? null,
			// Environment is left out: it holds the stack's secrets and is already in the file backups.
			'containers-before': containers.map(({name, service, state, health, networkMode, networks: endpoints, image}) => ({
				name,
				service,
				state,
				health,
				networkMode,
				networks: endpoints,
				image,
			})),
		},
		membership,
		{defaultRoutes, record, health: healthBaselineOf(containers), addresses: addressesOf(containers)},
	);
}
