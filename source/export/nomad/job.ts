/**
 * The Nomad job file and the Nomad Variable specifications, printed from the export model:
 * one job for the compose project, one group per network namespace (`network { mode =
 * "bridge" }`), a task per service sharing it, a Consul service with a Connect sidecar per TCP
 * port, the upstreams of the intended reachable pairs, and environment read from a Nomad
 * Variable through a `template` so no value is ever written here.
 */
import {attribute, block, comment, printHcl, type HclBlock, type HclNode} from './hcl.js';
import {groupName, type GroupModel, type MeshService, type NomadExport} from './model.js';
import {portLabel, type ListeningPort} from './ports.js';
import type {TaskModel} from './tasks.js';

/** The Nomad Variable a task's environment lives in: readable by that task's workload identity without a policy. */
export const variablePath = (job: string, group: string, task: string): string => `nomad/jobs/${job}/${group}/${task}`;

function networkBlock(ports: ListeningPort[]): HclBlock {
	const portBlocks = ports.map((port) =>
		block('port', [portLabel(port.port)], [...attribute('static', port.published[0]), ...attribute('to', port.port)]),
	);
	return block('network', [], [...attribute('mode', 'bridge'), ...portBlocks]);
}

function checkBlock(task: TaskModel): HclBlock[] {
	if (!task.healthcheck) return [];
	const check = task.healthcheck;
	return [
		block(
			'check',
			[],
			[
				...attribute('name', `${task.name} healthcheck`),
				...attribute('type', 'script'),
				...attribute('task', task.name),
				...attribute('command', check.command),
				...attribute('args', check.args),
				...attribute('interval', check.interval),
				...attribute('timeout', check.timeout),
			],
		),
	];
}

function serviceBlock(service: MeshService, checks: HclBlock[]): HclBlock {
	const upstreams = service.upstreams.map((upstream) =>
		block(
			'upstreams',
			[],
			[...attribute('destination_name', upstream.destination), ...attribute('local_bind_port', upstream.localBindPort)],
		),
	);
	const proxy = upstreams.length > 0 ? [block('proxy', [], upstreams)] : [];
	const body: HclNode[] = [
		...attribute('name', service.name),
		...attribute('port', service.port ? portLabel(service.port.port) : undefined),
		block('connect', [], [block('sidecar_service', [], proxy)]),
		...checks,
	];
	return block('service', [], body);
}

function envTemplate(job: string, group: string, task: TaskModel): HclBlock[] {
	if (task.secretKeys.length === 0) return [];
	const lines = task.secretKeys.map(({key}) =>
		/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${key}={{ .${key} }}` : `${key}={{ index . ${JSON.stringify(key)} }}`,
	);
	const data = `{{ with nomadVar "${variablePath(job, group, task.name)}" }}\n${lines.join('\n')}\n{{ end }}`;
	return [
		block(
			'template',
			[],
			[
				...attribute('destination', 'secrets/env'),
				...attribute('env', true),
				...attribute('change_mode', 'restart'),
				...attribute('data', {heredoc: data}),
			],
		),
	];
}

function taskBlock(job: string, group: GroupModel, task: TaskModel): HclBlock {
	const config = block(
		'config',
		[],
		[
			...attribute('image', task.image ?? 'REPLACE-ME: the service is built from source (build:), push its image'),
			...attribute('entrypoint', task.entrypoint),
			...attribute('args', task.args),
			...attribute('work_dir', task.workDir),
			...attribute('init', task.init),
		],
	);
	const restart = task.restart
		? [
				comment(`compose: restart: ${task.restart.compose}`),
				block(
					'restart',
					[],
					[
						...attribute('attempts', task.restart.attempts),
						...attribute('delay', '15s'),
						...attribute('interval', '30m'),
						...attribute('mode', task.restart.mode),
					],
				),
			]
		: [];
	const mounts = task.mounts.map((mount) =>
		block(
			'volume_mount',
			[],
			[
				...attribute('volume', mount.volume),
				...attribute('destination', mount.destination),
				...attribute('read_only', mount.readOnly),
			],
		),
	);
	return block(
		'task',
		[task.name],
		[
			...attribute('driver', 'docker'),
			...attribute('user', task.user),
			config,
			...restart,
			...mounts,
			...envTemplate(job, groupName(group.owner), task),
		],
	);
}

function groupBlock(job: string, group: GroupModel, volumeSources: Map<string, string>): HclBlock {
	const volumes = [...new Set(group.tasks.flatMap((task) => task.mounts.map((mount) => mount.volume)))].map((name) =>
		block('volume', [name], [...attribute('type', 'host'), ...attribute('source', name)]),
	);
	// A healthcheck goes on the service of a port its task listens on, else on the namespace's first service.
	const home = (task: TaskModel) => group.services.find((service) => service.port?.service === task.name) ?? group.services[0];
	const services = group.services.map((service) =>
		serviceBlock(service, group.tasks.filter((task) => home(task) === service).flatMap(checkBlock)),
	);
	const notes = [
		`namespace of ${group.owner}${
			group.tasks.length > 1
				? ` (shared by ${group.tasks
						.slice(1)
						.map((task) => task.name)
						.join(', ')})`
				: ''
		}; compose networks after the iteration: ${[...group.networks].sort().join(', ') || 'none'}`,
		...[...new Set(group.tasks.flatMap((task) => task.mounts.map((mount) => mount.volume)))].map(
			(name) => `host volume ${name}: ${volumeSources.get(name)} (declare it in each client's config; see README.md)`,
		),
	];
	return block(
		'group',
		[groupName(group.owner)],
		[
			comment(notes.join('\n')),
			networkBlock(group.ports),
			...volumes,
			...services,
			...group.tasks.map((task) => taskBlock(job, group, task)),
		],
	);
}

export function renderJob(model: NomadExport, heading: string): string {
	const sources = new Map(model.volumes.map((volume) => [volume.name, volume.source]));
	const job = block(
		'job',
		[model.job],
		[
			...attribute('datacenters', ['*']),
			...attribute('type', 'service'),
			...model.groups.map((group) => groupBlock(model.job, group, sources)),
		],
	);
	return `${printHcl([comment(heading), job])}\n`;
}

/** One `nomad var put` specification per task with environment: the keys, with empty values the operator fills. */
export function renderVariables(model: NomadExport): Array<{file: string; text: string}> {
	return model.groups.flatMap((group) =>
		group.tasks
			.filter((task) => task.secretKeys.length > 0)
			.map((task) => {
				const items = task.secretKeys.flatMap(({key, from}) => [comment(`from ${from}`), ...attribute(key, '')]);
				const nodes: HclNode[] = [
					comment(
						`The environment of task ${task.name} (group ${group.owner}). Fill every value, then:\n  nomad var put @variables/${groupName(group.owner)}.${task.name}.nv.hcl`,
					),
					...attribute('path', variablePath(model.job, groupName(group.owner), task.name)),
					block('items', [], items),
				];
				return {file: `variables/${groupName(group.owner)}.${task.name}.nv.hcl`, text: `${printHcl(nodes)}\n`};
			}),
	);
}
