/**
 * Recreating a network-namespace owner (gluetun) with the services that live in its namespace
 * (`network_mode: service:gluetun`, `container:gluetun`). One `docker compose up -d` of the owner
 * and all its followers fails half-way once the followers are many — seen with 18 on Compose 2.26
 * and 2.40 alike: "joining network namespace of container: No such container: <old id>" — and
 * leaves them `Created`, stopped; even a stack's own first `up -d` can race ("cannot join network
 * namespace of a non running container: container gluetun is created"). So netmigrate never asks
 * compose to get a large follower set right in one call: the owner is recreated alone and waited
 * on until it runs (and is healthy where it has a healthcheck), then its followers, `--no-deps`
 * so the owner is not recreated again, in bounded groups, each group retried on those races.
 * Afterwards every follower on the engine that should live in a namespace and does not (stopped,
 * or pinned to a container that is gone) is found and recreated or restarted; one that cannot be
 * is named with the one command that repairs it. The same code runs an apply's recreates and a
 * rollback's, so a rollback finishes from the state a failed recreate leaves.
 */
import {composeArgs, recreateServices, type ComposeProject} from './engine/compose.js';
import {followerProject, strandedFollowers, type StrandedFollower} from './engine/followers.js';
import {NetmigrateError, wayOn} from './errors.js';
import {recreateGated, type GateContext} from './health-gate.js';

/** Followers recreated by one compose call: enough to keep an iteration short, few enough that compose does not race. */
export const followerGroupSize = 6;
/** Attempts of one group: compose's races are over once the owner has run for a moment. */
const attempts = 3;

/** Compose's messages when a follower is created against an owner that is not (yet, or any more) there. */
export function isNamespaceRace(message: string): boolean {
	return /joining network namespace of container|cannot join network namespace|No such container|is not running|is restarting/i.test(
		message,
	);
}

/**
 * `owner` alone, then `followers` in groups. Every stranded follower of the engine is repaired
 * once the step's actions are all done (`repairFollowers`, called by the apply's and the
 * rollback's runners), never between them: recreates run side by side, and one of them finding
 * a follower that another is recreating would race it ("Conflict. The container name is already
 * in use").
 */
export async function recreateNamespace(
	context: GateContext,
	owner: string,
	followers: string[],
	options: {withDependencies?: boolean} = {},
): Promise<void> {
	await recreateGated(context, [owner], options);
	for (let start = 0; start < followers.length; start += followerGroupSize) {
		const group = followers.slice(start, start + followerGroupSize);
		await withRetries(context, group, async () => recreateGated(context, group));
	}
}

async function withRetries(context: GateContext, group: string[], recreate: () => Promise<void>): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await recreate();
		} catch (error) {
			if (attempt >= attempts || !(error instanceof NetmigrateError) || !isNamespaceRace(error.message)) throw error;
			context.emit?.({
				type: 'log',
				level: 'info',
				message: `compose raced the namespace of ${group.join(', ')} (attempt ${attempt} of ${attempts}): trying again`,
			});
			await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
		}
	}
}

/**
 * Every follower on the engine that was running when the iteration began (or runs now) and is
 * not living in its owner's namespace, put back: recreated from its compose project (in groups,
 * as above), else restarted when it names its owner by name. Throws, naming each one left and
 * the command that repairs it, when any cannot be put back.
 */
export async function repairFollowers(context: GateContext): Promise<string[]> {
	const wasRunning = (name: string) => context.baseline?.()?.[name]?.state === 'running';
	const stranded = await strandedFollowers(context.engine, wasRunning);
	if (stranded.length === 0) return [];
	const log = (message: string) => context.emit?.({type: 'log', level: 'info', message});
	const left: StrandedFollower[] = [];
	for (const [key, group] of byProject(stranded, context.compose.host)) {
		const origin = group[0] ? followerProject(group[0], context.compose.host) : undefined;
		if (!origin) {
			left.push(...(await restartByName(context, group, log)));
			continue;
		}
		const services = group.map((follower) => followerProject(follower, context.compose.host)?.service as string);
		for (let start = 0; start < services.length; start += followerGroupSize) {
			const part = services.slice(start, start + followerGroupSize);
			try {
				await withRetries(context, part, async () => recreateServices(origin.project, part, {run: context.run}));
				log(`recreated ${part.join(', ')} of ${key}: ${group.map((follower) => `${follower.name} (${follower.why})`).join('; ')}`);
			} catch (error) {
				if (!(error instanceof NetmigrateError)) throw error;
				left.push(...group.filter((follower) => part.includes(followerProject(follower, context.compose.host)?.service ?? '')));
			}
		}
	}
	const still = left.length === 0 ? [] : await strandedFollowers(context.engine, wasRunning);
	if (still.length > 0) throw strandedError(still, context);
	return stranded.map((follower) => follower.name);
}

/** Followers grouped by the compose project that made them ('' for those no compose project made). */
function byProject(stranded: StrandedFollower[], host: string): Map<string, StrandedFollower[]> {
	const groups = new Map<string, StrandedFollower[]>();
	for (const follower of stranded) {
		const key = followerProject(follower, host)?.project.name ?? '';
		groups.set(key, [...(groups.get(key) ?? []), follower]);
	}
	return groups;
}

/** A container no compose project made comes back by a restart when it names its owner by name; by id, it cannot. */
async function restartByName(context: GateContext, group: StrandedFollower[], log: (message: string) => void): Promise<StrandedFollower[]> {
	const left: StrandedFollower[] = [];
	for (const follower of group) {
		const inspected = await context.engine.docker.getContainer(follower.id).inspect();
		const reference = String(inspected.HostConfig.NetworkMode ?? '').slice('container:'.length);
		if (reference !== follower.owner) {
			left.push(follower);
			continue;
		}
		await context.engine.call(`restarting ${follower.name}`, async () =>
			context.engine.docker.getContainer(follower.id).restart({t: 10}),
		);
		log(`restarted ${follower.name} into ${follower.owner}'s namespace (${follower.why})`);
	}
	return left;
}

function strandedError(still: StrandedFollower[], context: GateContext): NetmigrateError {
	const names = still.map((follower) => `${follower.name} (${follower.why})`).join('; ');
	const commands = [...byProject(still, context.compose.host)].map(([key, group]) => repairCommand(key, group, context.compose.host));
	return new NetmigrateError(`containers that share another's network namespace are not living in it: ${names}`, {
		hint: `repair them with ${commands.join(' and ')}, ${wayOn(context.run)}`,
	});
}

/** The one command that puts a group back: compose's recreate of their services, or a `docker run` the operator remembers. */
export function repairCommand(key: string, group: StrandedFollower[], host: string): string {
	const origin = group[0] ? followerProject(group[0], host) : undefined;
	if (!key || !origin)
		return `recreating ${group.map((follower) => follower.name).join(', ')} as you created them (no compose project made them)`;
	const services = group.map((follower) => followerProject(follower, host)?.service ?? follower.name);
	const project: ComposeProject = origin.project;
	const args = composeArgs(project, ['up', '-d', '--no-deps', '--force-recreate', ...services]).filter(
		(arg, index, all) => !['--ansi', '--progress'].includes(arg) && !['--ansi', '--progress'].includes(all[index - 1] ?? ''),
	);
	return `\`docker ${args.join(' ')}\``;
}
