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
