/**
 * One compose service as a Nomad task: image, command, user, restart policy, healthcheck,
 * volumes and environment — and, by name, every compose key the export does not carry, with
 * why. Environment values are never written: netmigrate's masking rule (mask.ts) holds every
 * environment value a possible secret, so each task reads its variables from a Nomad Variable
 * (`nomad/jobs/<job>/<group>/<task>`) the operator fills; the export lists only the keys.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {parseEnvFile} from '../../compose/envfile.js';
import type {ComposeModel, ServiceModel} from '../../compose/project.js';

/** `source`: a bind mount's path relative to the compose project's folder, or a named volume's name. */
export type HostVolume = {name: string; source: string; kind: 'bind' | 'named'};
export type VolumeMount = {volume: string; destination: string; readOnly: boolean};
export type SecretKey = {key: string; from: string};
export type Healthcheck = {command: string; args: string[]; interval: string; timeout: string};
export type RestartPolicy = {attempts: number; mode: 'delay' | 'fail'; compose: string};
export type NotCarried = {service: string; key: string; why: string};

export type TaskModel = {
	name: string;
	image?: string;
	entrypoint?: string[];
	args?: string[];
	user?: string;
	workDir?: string;
	init?: boolean;
	secretKeys: SecretKey[];
	mounts: VolumeMount[];
	restart?: RestartPolicy;
	healthcheck?: Healthcheck;
	notCarried: NotCarried[];
};

/** Keys the export carries, or that mean nothing on Nomad (the mesh replaces networks and names). */
const carried = new Set([
	'image',
	'command',
	'entrypoint',
	'user',
	'working_dir',
	'init',
	'environment',
	'env_file',
	'volumes',
	'restart',
	'healthcheck',
	'ports',
	'expose',
]);
const meaningless = new Set([
	'container_name',
	'networks',
	'network_mode',
	'depends_on',
	'labels',
	'pull_policy',
	'profiles',
	'extends',
	'hostname',
	'stdin_open',
	'tty',
	'logging',
	'stop_grace_period',
]);

/** Why a key is not carried; the notable ones each with their reason, the rest with one. */
const reasons: Record<string, string> = {
	devices: "host devices are the client's hardware: declare them in the docker driver's `devices` on a client that has them",
	gpus: "GPUs need Nomad's device plugin (nvidia) on the client and a `device` request in `resources`",
	runtime: "a container runtime (nvidia) is the client's docker plugin configuration, not the job's",
	deploy: 'deploy: (resources, GPU reservations, replicas) has no one-to-one Nomad form; set `resources` and `count` by hand',
	privileged: "a client allows privileged containers only with `allow_privileged` in its docker plugin: the operator's decision",
	cap_add: "added capabilities need the client's `allow_caps`; carry them by hand once allowed",
	cap_drop: "carry by hand in the docker driver's `cap_drop`",
	sysctls: "sysctls need the client's permission; carry by hand in the docker driver's `sysctl`",
	security_opt: "security options are the client's policy; carry by hand",
	build: 'Nomad runs images: build and push it to a registry the clients reach',
	extra_hosts: 'the mesh gives services names (upstreams on localhost); fixed host entries are not carried',
	dns: 'Consul DNS answers `*.service.consul`; custom resolvers are not carried',
	mem_limit: 'set `resources { memory }` by hand',
	cpus: 'set `resources { cpu }` by hand',
	pid: "sharing the host's PID namespace is not carried",
	ipc: 'sharing IPC namespaces is not carried',
	shm_size: "carry by hand in the docker driver's `shm_size`",
	ulimits: "carry by hand in the docker driver's `ulimit`",
	tmpfs: 'carry by hand as a docker driver `mount` of type tmpfs',
};

const networkModeReasons: Record<string, string> = {
	host: "host networking bypasses the bridge and the mesh, so the segmentation could not hold: the task runs in its group's bridge, its ports dynamic (make the ones users reach static by hand)",
	none: 'no network at all: the task runs in a bridge group the intentions give no peer (Nomad\'s `mode = "none"` cannot carry a Connect sidecar)',
};

export function taskOf(project: ComposeModel, service: ServiceModel, volumes: Map<string, HostVolume>): TaskModel {
	const config = service.config;
	const task: TaskModel = {
		name: service.name,
		secretKeys: secretKeysOf(project, service),
		mounts: mountsOf(project.root, service, volumes),
		notCarried: notCarriedOf(service),
	};
	if (service.image) task.image = service.image;
	const entrypoint = words(config.entrypoint);
	if (entrypoint) task.entrypoint = entrypoint;
	const args = words(config.command);
	if (args) task.args = args;
	if (typeof config.user === 'string' || typeof config.user === 'number') task.user = String(config.user);
	if (typeof config.working_dir === 'string') task.workDir = config.working_dir;
	if (config.init === true) task.init = true;
	const restart = restartOf(config.restart);
	if (restart) task.restart = restart;
	const healthcheck = healthcheckOf(config.healthcheck);
	if (healthcheck) task.healthcheck = healthcheck;
	return task;
}

/** A command as a list: compose's list form as is, its string form split as a shell would split plain words and quotes. */
function words(value: unknown): string[] | undefined {
	if (Array.isArray(value)) return value.map(String);
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	return [...value.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map(
		(match) => match[1]?.replace(/\\(.)/g, '$1') ?? match[2] ?? match[3] ?? '',
	);
}

function secretKeysOf(project: ComposeModel, service: ServiceModel): SecretKey[] {
	const keys = new Map<string, string>();
	for (const file of service.envFiles) {
		try {
			for (const key of parseEnvFile(file, readFileSync(file, 'utf8')).entries.keys())
				keys.set(key, path.relative(project.root, file));
		} catch {
			keys.set(`# ${path.relative(project.root, file)} (unreadable)`, path.relative(project.root, file));
		}
	}
	for (const entry of service.environment) {
		const origin = service.origins.environment[entry.key];
		keys.set(
			entry.key,
			origin
				? `${path.relative(project.root, origin.file)}${origin.line ? `:${origin.line}` : ''}`
				: path.relative(project.root, service.file),
		);
	}
	return [...keys].filter(([key]) => !key.startsWith('#')).map(([key, from]) => ({key, from}));
}

/** Host volumes: a bind mount's folder or a named volume, by a name the client's `host_volume` declares. */
function mountsOf(root: string, service: ServiceModel, volumes: Map<string, HostVolume>): VolumeMount[] {
	const list = Array.isArray(service.config.volumes) ? service.config.volumes : [];
	const mounts: VolumeMount[] = [];
	for (const item of list) {
		let source: string | undefined;
		let target: string | undefined;
		let readOnly = false;
		if (item && typeof item === 'object') {
			const long = item as {source?: unknown; target?: unknown; read_only?: unknown};
			source = typeof long.source === 'string' ? long.source : undefined;
			target = typeof long.target === 'string' ? long.target : undefined;
			readOnly = long.read_only === true;
		} else {
			const parts = String(item).split(':');
			if (parts.length >= 2) [source, target] = parts as [string, string];
			readOnly = parts[2]?.split(',').includes('ro') ?? false;
		}
		// An anonymous volume (`- /data`) lives and dies with the container: nothing to declare.
		if (!source || !target) continue;
		const bind = source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
		const absolute = bind ? path.relative(root, path.resolve(path.dirname(service.file), source)) || '.' : source;
		const existing = [...volumes.values()].find((volume) => volume.source === absolute);
		const name = existing?.name ?? uniqueName(volumes, bind ? `${service.name}-${path.basename(absolute)}` : source);
		volumes.set(name, {name, source: absolute, kind: bind ? 'bind' : 'named'});
		mounts.push({volume: name, destination: target, readOnly});
	}
	return mounts;
}

function uniqueName(volumes: Map<string, HostVolume>, wanted: string): string {
	const base =
		wanted
			.toLowerCase()
			.replace(/[^a-z0-9_-]+/g, '-')
			.replace(/^-+|-+$/g, '') || 'volume';
	let name = base;
	for (let index = 2; volumes.has(name); index++) name = `${base}-${index}`;
	return name;
}

/** compose's restart policies as Nomad's: `delay` keeps restarting (always, unless-stopped), `fail` gives up. */
function restartOf(value: unknown): RestartPolicy | undefined {
	if (typeof value !== 'string') return undefined;
	if (value === 'always' || value === 'unless-stopped') return {attempts: 10, mode: 'delay', compose: value};
	if (value === 'no') return {attempts: 0, mode: 'fail', compose: value};
	const failure = /^on-failure(?::(\d+))?$/.exec(value);
	return failure ? {attempts: Number(failure[1] ?? 3), mode: 'fail', compose: value} : undefined;
}

function healthcheckOf(value: unknown): Healthcheck | undefined {
	const check = value as {test?: unknown; interval?: unknown; timeout?: unknown; disable?: unknown} | undefined;
	if (!check || check.disable === true || check.test === undefined) return undefined;
	const test = Array.isArray(check.test) ? check.test.map(String) : ['CMD-SHELL', String(check.test)];
	const [form, ...rest] = test;
	if (form === 'NONE' || rest.length === 0) return undefined;
	const [command, ...args] = form === 'CMD-SHELL' ? ['/bin/sh', '-c', rest.join(' ')] : rest;
	// Consul refuses a check run more often, or given less time, than once a second (Nomad's minCheckInterval, minCheckTimeout).
	const duration = (given: unknown) => (typeof given !== 'string' || given === '' ? '30s' : milliseconds(given) < 1000 ? '1s' : given);
	return {command: command as string, args, interval: duration(check.interval), timeout: duration(check.timeout)};
}

function notCarriedOf(service: ServiceModel): NotCarried[] {
	const found: NotCarried[] = [];
	for (const key of Object.keys(service.config)) {
		if (carried.has(key) || meaningless.has(key) || key.startsWith('x-')) continue;
		found.push({
			service: service.name,
			key,
			why: reasons[key] ?? 'no Nomad equivalent netmigrate carries; translate by hand if the service needs it',
		});
	}
	if (service.networkModeOther)
		found.push({
			service: service.name,
			key: `network_mode: ${service.networkModeOther}`,
			why:
				networkModeReasons[service.networkModeOther] ??
				"a network mode Nomad's bridge does not have: the task runs in its group's bridge instead",
		});
	if (service.namespaceOutside)
		found.push({
			service: service.name,
			key: `network_mode: container:${service.namespaceContainer}`,
			why: "the namespace belongs to a container of another project: the task runs in its own group's bridge",
		});
	return found;
}

/** A compose/Go duration (`1m30s`, `250ms`) in milliseconds; NaN when it is none. */
export function milliseconds(text: string): number {
	const units: Record<string, number> = {ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000};
	const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
	if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return Number.NaN;
	return parts.reduce((total, part) => total + Number(part[1]) * (units[part[2] as string] as number), 0);
}
