/**
 * The README written beside the exported files: what each compose idea became in Nomad and
 * Consul, what was not carried and why, the host volumes and variables the operator must
 * provide, and — plainly — that nothing here was validated against a Nomad server.
 */
import type {NomadExport} from './model.js';
import {staticPorts} from './firewall.js';

export const notValidated =
	"not validated against a Nomad server: the files parse with HashiCorp's HCL parser and use only fields of Nomad's job specification and Consul's config entries, but no Nomad or Consul has run them";

function table(rows: string[][]): string[] {
	const [head, ...body] = rows;
	if (!head) return [];
	return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((row) => `| ${row.join(' | ')} |`)];
}

/** What each compose idea became. */
function mappingTable(model: NomadExport): string[] {
	return table([
		['compose', 'here'],
		['the project', `one job, \`${model.job}\` (one \`nomad job run\`; the segmentation lives in the mesh, not in job boundaries)`],
		[
			'a service and the services in its namespace (`network_mode: service:`)',
			'a group with `network { mode = "bridge" }`, one task each: they share the group\'s namespace as they shared the container\'s',
		],
		[
			'a port published to users (`ports:` with a host port, still published after the iteration)',
			'`static` port (opened in `firewall.nft`)',
		],
		[
			"any other port it listens on (`expose:`, `ports:`, the plan's checks, the catalog's defaults, in that order)",
			'dynamic port, `to =` the container port; a Consul service with a Connect sidecar per TCP port',
		],
		[
			'two services sharing a network',
			'an `upstreams` entry on the source (`localhost:<local_bind_port>`), an `allow` intention on the target',
		],
		['two services sharing none', 'nothing: `intentions/default-deny.hcl` denies `*` → `*`'],
		[
			'`environment:`, `env_file:`',
			'a `template` reading the Nomad Variable `nomad/jobs/<job>/<group>/<task>`: every value is treated as a secret, so none is written; `variables/` lists the keys',
		],
		['`volumes:` (bind mounts, named volumes)', "host volumes: declare each in the clients' config (below)"],
		['`healthcheck:`', 'a `script` check on the service'],
		['`restart:`', 'the task\'s `restart` (`always`/`unless-stopped` keep retrying: `mode = "delay"`)'],
	]);
}

export function renderReadme(model: NomadExport, heading: string, files: string[]): string {
	const reachable = model.pairs.filter((pair) => pair.via.length > 0);
	const statics = staticPorts(model);
	const lines = [
		`# Nomad export of \`${model.job}\``,
		'',
		heading,
		'',
		`**${notValidated}.** Read it, run \`nomad job validate\` and \`nomad job plan\`, then deploy.`,
		'',
		'## What maps to what',
		'',
		...mappingTable(model),
		'',
		'Apps reach their upstreams on `localhost:<local_bind_port>` (the job file lists them): a URL such as `http://sonarr:8989` becomes `http://localhost:8989`.',
		'',
		`## Reachable pairs (${reachable.length}, each an upstream and an intention)`,
		'',
		...(reachable.length > 0
			? model.groups.flatMap((group) => {
					const targets = reachable.filter((pair) => pair.from === group.owner).map((pair) => pair.to);
					return targets.length > 0 ? [`- ${group.owner} → ${targets.join(', ')}`] : [];
				})
			: ['none']),
		'',
		'## Static ports',
		'',
		...(statics.length > 0
			? statics.map((entry) => `- ${entry.port}/${entry.protocols.join('+')} (${entry.service})`)
			: ['none: every service is behind a dynamic port']),
		'',
		'## Host volumes to declare on each client',
		'',
		...(model.volumes.length > 0
			? [
					'```hcl',
					...model.volumes.map(
						(volume) =>
							`host_volume "${volume.name}" { path = "/srv/${model.job}/${volume.source}" }  # ${volume.kind === 'bind' ? `bind mount ./${volume.source}` : `docker volume ${volume.source}`}`,
					),
					'```',
					'',
					`Bind mounts are named by their path in the compose project's folder, shown under /srv/${model.job}: copy the data where the clients keep it. A bind mount of a single file must become a folder (or a \`template\`) first.`,
				]
			: ['none']),
		'',
		'## Not carried',
		'',
		...model.notCarried.map((item) => `- ${item.service}: \`${item.key}\` — ${item.why}`),
		"- every service: `labels:` (a proxy's routing labels become Consul tags by hand), `depends_on:` (Nomad starts groups independently; use `lifecycle` hooks or retries), `container_name:` (Consul names replace it), resources (Nomad's defaults: set `resources` per task)",
		...model.warnings.map((warning) => `- ${warning}`),
		'',
		'## Files',
		'',
		...files.map((file) => `- \`${file}\``),
		'',
	];
	return lines.join('\n');
}
