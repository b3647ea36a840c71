/**
 * Containers that live in another container's network namespace by its name
 * (`network_mode: container:gluetun`), in any compose project on the engine or none. When the
 * owner is recreated, such a follower keeps running in the dead namespace with only `lo`; the
 * engine resolves the name again when the follower starts, so a restart puts it back in the new
 * owner's namespace with the same container, config and id. A follower that names the owner by
 * id (compose resolves `container:<name>` to the id when it creates the follower, as it does
 * `service:`) cannot be rejoined that way: it is recreated from its own compose project, read
 * from its labels (folder, files, env files, service), as its owner would with `up -d`; one that
 * no compose project made (`docker run --network container:<id>`) is reported.
 */
import {probeLabel} from '../domain.js';
import type {ComposeProject} from './compose.js';
import type {Engine} from './docker.js';

export type Owner = {id: string; name: string};
export type Stranded = {name: string; labels: Record<string, string>};

/** The containers of a compose service, as owners of a namespace others may share. */
export async function serviceContainers(engine: Engine, project: string, service: string): Promise<Owner[]> {
	return (await engine.listSummaries(project))
		.filter((summary) => summary.Labels?.['com.docker.compose.service'] === service)
		.map((summary) => ({id: summary.Id, name: (summary.Names[0] ?? summary.Id).replace(/^\//, '')}));
}

/**
 * After the owners were recreated: restarts every running follower that names one of them, and
 * returns the followers left in a dead namespace that a restart cannot mend (named by the old id).
 */
export async function rejoinFollowers(
	engine: Engine,
	owners: Owner[],
	handled: Set<string>,
): Promise<{restarted: string[]; stranded: Stranded[]}> {
	if (owners.length === 0) return {restarted: [], stranded: []};
	const summaries = await engine.listSummaries();
	const restarted: string[] = [];
	const stranded: Stranded[] = [];
	for (const summary of summaries) {
		const name = (summary.Names[0] ?? summary.Id).replace(/^\//, '');
		const mode = summary.HostConfig?.NetworkMode ?? '';
		// netmigrate's own probes live in a namespace only as long as it does; a new one is made for the new container.
		if (!mode.startsWith('container:') || handled.has(name) || summary.State !== 'running' || summary.Labels?.[probeLabel]) continue;
		const reference = mode.slice('container:'.length);
		const owner = owners.find(
			(candidate) => candidate.name === reference || candidate.id === reference || candidate.id.startsWith(reference),
		);
		if (!owner) continue;
		if (owner.name !== reference) {
			stranded.push({name, labels: summary.Labels ?? {}});
			continue;
		}
		await engine.call(`restarting ${name} into ${owner.name}'s new namespace`, async () =>
			engine.docker.getContainer(summary.Id).restart({t: 10}),
		);
		restarted.push(name);
	}
	return {restarted, stranded};
}

/** The compose project a stranded follower came from, and its service, from compose's labels; undefined for a container compose did not make. */
export function followerProject(follower: Stranded, host: string): {project: ComposeProject; service: string} | undefined {
	const label = (key: string) => follower.labels[`com.docker.compose.${key}`];
	const [name, directory, files, service] = [
		label('project'),
		label('project.working_dir'),
		label('project.config_files'),
		label('service'),
	];
	if (!name || !directory || !files || !service) return undefined;
	const envFiles = label('project.environment_file')?.split(',').filter(Boolean);
	return {project: {host, directory, files: files.split(','), name, ...(envFiles && envFiles.length > 0 ? {envFiles} : {})}, service};
}

/** A container that shares another's namespace and is not living in it: stopped, or in a namespace that is gone. */
export type StrandedFollower = {
	name: string;
	id: string;
	/** In the operator's words: why it counts as stranded. */
	why: string;
	/** The owner it names, by name when the engine still knows it. */
	owner: string;
	labels: Record<string, string>;
};

/**
 * Every container of the engine that shares another's network namespace and should be living in
 * it but is not: one that was running when the iteration began (`wasRunning`) and is stopped now
 * (compose leaves followers `Created` when their owner's recreate races them), or one that names
 * an owner by an id no container has any more, or one running since before its owner's last
 * start (a namespace is made anew at every start, so it holds only `lo`). The owner stopped is
 * not a follower's fault, and not repaired here.
 */
export async function strandedFollowers(engine: Engine, wasRunning: (name: string) => boolean): Promise<StrandedFollower[]> {
	const summaries = (await engine.listSummaries()).filter(
		(summary) => (summary.HostConfig?.NetworkMode ?? '').startsWith('container:') && !summary.Labels?.[probeLabel],
	);
	const stranded: StrandedFollower[] = [];
	for (const summary of summaries) {
		const name = (summary.Names[0] ?? summary.Id).replace(/^\//, '');
		const reference = (summary.HostConfig?.NetworkMode ?? '').slice('container:'.length);
		const owner = await engine.call(`inspecting ${reference}, whose namespace ${name} shares`, async () =>
			inspectOrNone(engine, reference),
		);
		const labels = summary.Labels ?? {};
		if (!owner) {
			if (summary.State === 'running' || wasRunning(name))
				stranded.push({
					name,
					id: summary.Id,
					owner: reference.slice(0, 12),
					labels,
					why: `it names container ${reference.slice(0, 12)}, which no longer exists`,
				});
			continue;
		}
		const ownerName = owner.Name.replace(/^\//, '');
		if (!owner.State.Running) continue;
		if (summary.State !== 'running') {
			if (wasRunning(name))
				stranded.push({
					name,
					id: summary.Id,
					owner: ownerName,
					labels,
					why: `it is ${summary.State}, and was running when the iteration began`,
				});
			continue;
		}
		// Removed since the list (another tool's short-lived container, a recreate's old one): nothing to repair.
		const mine = await engine.call(`inspecting ${name}`, async () => inspectOrNone(engine, summary.Id));
		if (mine && Date.parse(mine.State.StartedAt) < Date.parse(owner.State.StartedAt))
			stranded.push({
				name,
				id: summary.Id,
				owner: ownerName,
				labels,
				why: `it has run since before ${ownerName} last started, so it holds only lo`,
			});
	}
	return stranded;
}

async function inspectOrNone(
	engine: Engine,
	reference: string,
): Promise<Awaited<ReturnType<ReturnType<Engine['docker']['getContainer']>['inspect']>> | undefined> {
	try {
		return await engine.docker.getContainer(reference).inspect();
	} catch (error) {
		if ((error as {statusCode?: number}).statusCode === 404) return undefined;
		throw error;
	}
}
