/**
 * Reading a Nomad export back the way Nomad and Consul would read it: every file through
 * HashiCorp's HCL parser and the schemas of nomad-schema.ts, then the pairs the Consul
 * intentions allow (by the owner of each service, from the job's groups) and the upstreams
 * each group's sidecars open (destination owner and port).
 */
import {
	parseChecked,
	intentionsSchema,
	jobFileSchema,
	variableSpecSchema,
	type ParsedIntentions,
	type ParsedJobFile,
} from './nomad-schema.js';
import type {ExportFile} from '../../source/export/nomad/index.js';
import {milliseconds} from '../../source/export/nomad/tasks.js';

export type ReadBack = {
	/** `from → to` by group (namespace owner), from the intentions' allows. */
	allowed: Set<string>;
	/** `from → to:port` for every upstream, the port being the destination service's container port. */
	upstreams: Set<string>;
	defaultDeny: boolean;
	job: ParsedJobFile;
};

export async function readExport(files: ExportFile[]): Promise<ReadBack> {
	const jobFile = files.find((entry) => entry.file.endsWith('.nomad.hcl'));
	if (!jobFile) throw new Error('no job file');
	const job = await parseChecked(jobFile.file, jobFile.text, jobFileSchema);
	const broken = nomadRuleViolations(job);
	if (broken.length > 0) throw new Error(`${jobFile.file} breaks Nomad's own checks:\n${broken.join('\n')}`);
	const ownerOf = new Map<string, string>();
	const portOf = new Map<string, number>();
	const upstreamsOf: Array<{owner: string; destination: string}> = [];
	for (const jobBody of Object.values(job.job).flat()) {
		for (const [owner, bodies] of Object.entries(jobBody.group ?? {})) {
			for (const group of bodies) {
				const ports = new Map(Object.entries(group.network?.[0]?.port ?? {}).map(([label, [port]]) => [label, port?.to]));
				for (const service of group.service ?? []) {
					if (!service.name) continue;
					ownerOf.set(service.name, owner);
					const to = service.port ? ports.get(service.port) : undefined;
					if (to !== undefined) portOf.set(service.name, to);
					for (const upstream of service.connect?.[0]?.sidecar_service?.[0]?.proxy?.[0]?.upstreams ?? [])
						upstreamsOf.push({owner, destination: upstream.destination_name ?? ''});
				}
			}
		}
	}
	const allowed = new Set<string>();
	let defaultDeny = false;
	for (const entry of files.filter((candidate) => candidate.file.startsWith('intentions/'))) {
		const intentions: ParsedIntentions = await parseChecked(entry.file, entry.text, intentionsSchema);
		if (intentions.Name === '*') {
			defaultDeny = intentions.Sources.some((source) => source.Name === '*' && source.Action === 'deny');
			continue;
		}
		for (const source of intentions.Sources.filter((candidate) => candidate.Action === 'allow'))
			allowed.add(`${ownerOf.get(source.Name) ?? `?${source.Name}`} → ${ownerOf.get(intentions.Name) ?? `?${intentions.Name}`}`);
	}
	for (const entry of files.filter((candidate) => candidate.file.startsWith('variables/')))
		await parseChecked(entry.file, entry.text, variableSpecSchema);
	const upstreams = new Set(
		upstreamsOf.map(
			({owner, destination}) => `${owner} → ${ownerOf.get(destination) ?? `?${destination}`}:${portOf.get(destination) ?? '?'}`,
		),
	);
	return {allowed, upstreams, defaultDeny, job};
}

/**
 * What Nomad's server checks beyond the shape, for what the export writes (hashicorp/nomad at
 * aa026cc99cfb74a77e519a1c1f0c78ba1b452705): a Connect group has exactly one network, in bridge
 * mode, and a lowercase name, its services lowercase RFC 1123 names, and no two upstreams on one
 * listener (nomad/job_endpoint_hook_connect.go groupConnectNetworkModeValidate,
 * groupConnectSidecarValidate, groupConnectUpstreamsValidate; nomad/structs/services.go
 * ValidateName); port labels, static ports and task names unique in a group
 * (nomad/structs/structs.go TaskGroup.Validate); a check at least every second with at least a
 * second to answer, a script check with a command and a task of its group (services.go
 * minCheckInterval, minCheckTimeout, validateConsul).
 */
export function nomadRuleViolations(file: ParsedJobFile): string[] {
	const problems: string[] = [];
	const serviceName = /^(?:[a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])$/;
	for (const job of Object.values(file.job).flat()) {
		for (const [name, bodies] of Object.entries(job.group ?? {})) {
			if (bodies.length !== 1) problems.push(`group ${name} is declared ${bodies.length} times`);
			const group = bodies[0];
			if (!group) continue;
			if (name !== name.toLowerCase()) problems.push(`group ${name}: a Connect group name must be lowercase`);
			if (group.network?.length !== 1 || group.network[0]?.mode !== 'bridge')
				problems.push(`group ${name}: Connect needs exactly one network, mode bridge`);
			const ports = Object.entries(group.network?.[0]?.port ?? {});
			for (const [label, list] of ports)
				if (list.length !== 1) problems.push(`group ${name}: port label ${label} is used ${list.length} times`);
			const statics = ports.flatMap(([, list]) => list.map((port) => port.static)).filter((port) => port !== undefined);
			if (new Set(statics).size !== statics.length) problems.push(`group ${name}: a static port is reserved twice`);
			const tasks = Object.entries(group.task ?? {});
			for (const [task, list] of tasks)
				if (list.length !== 1) problems.push(`group ${name}: task ${task} is declared ${list.length} times`);
			const listeners = new Set<string>();
			for (const service of group.service ?? []) {
				if (!service.name || !serviceName.test(service.name))
					problems.push(`group ${name}: service name ${service.name} is not a lowercase RFC 1123 name`);
				for (const upstream of service.connect?.[0]?.sidecar_service?.[0]?.proxy?.[0]?.upstreams ?? []) {
					const listener = `${upstream.local_bind_address ?? ''}:${upstream.local_bind_port}`;
					if (listeners.has(listener)) problems.push(`group ${name}: two upstreams listen on ${listener}`);
					listeners.add(listener);
				}
				for (const check of service.check ?? []) {
					for (const [what, value] of [
						['interval', check.interval],
						['timeout', check.timeout],
					] as const) {
						if (!value || milliseconds(value) < 1000)
							problems.push(`group ${name}: check ${check.name} ${what} ${value} is under 1s`);
					}
					if (check.type === 'script' && (!check.command || !check.task || !tasks.some(([task]) => task === check.task)))
						problems.push(`group ${name}: script check ${check.name} needs a command and a task of the group`);
				}
			}
		}
	}
	return problems;
}
