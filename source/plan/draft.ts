/**
 * `netmigrate init`: draft a plan from the running stack. Services are put in tiers by a
 * table of well-known images (overridable), subnets are picked free of every engine
 * network and host route, a firewall entry is emitted for a VPN allow-list, and checks
 * for each proxied service and each depends_on pair. The output is a commented plan the
 * operator edits; `--preset per-app` drafts reference 004's model instead.
 */
import {namespaceOwner, type ComposeModel, type ServiceModel} from '../compose/project.js';
import {nextFreeSubnet, parseCidr, contains} from './subnets.js';

export type Tier = 'dmz' | 'frontend' | 'backend' | 'download' | 'mgmt' | 'security';

export const tierOrder: Tier[] = ['dmz', 'frontend', 'backend', 'download', 'mgmt', 'security'];

const tierPurpose: Record<Tier, string> = {
	dmz: 'ingress: reverse proxies and tunnels',
	frontend: 'user-facing apps and dashboards',
	backend: 'automation and APIs',
	download: 'VPN-routed downloads',
	mgmt: 'monitoring and operations',
	security: 'authentication and security services',
};

/** Tiers without direct internet access (Docker `internal` networks). */
const internalTiers = new Set<Tier>(['frontend', 'backend', 'mgmt']);

export type TierRule = {match: string[]; tiers: Tier[]; role?: 'proxy' | 'tunnel' | 'vpn' | 'download-client' | 'arr'; port?: number};

/** Well-known images (matched on the image name, service name or container name). */
export const defaultTierRules: TierRule[] = [
	{match: ['traefik', 'caddy', 'nginx-proxy-manager', 'nginx-proxy', 'haproxy', 'swag'], tiers: ['dmz', 'frontend', 'backend', 'security'], role: 'proxy', port: 80},
	{match: ['cloudflared', 'tailscale', 'ngrok', 'frpc'], tiers: ['dmz'], role: 'tunnel'},
	{match: ['jellyfin'], tiers: ['frontend'], port: 8096},
	{match: ['plex'], tiers: ['frontend'], port: 32400},
	{match: ['emby'], tiers: ['frontend'], port: 8096},
	{match: ['jellyseerr', 'overseerr'], tiers: ['frontend', 'backend'], port: 5055},
	{match: ['ombi'], tiers: ['frontend', 'backend'], port: 3579},
	{match: ['web-ui', 'homepage', 'heimdall', 'organizr', 'homarr', 'dashy'], tiers: ['frontend'], port: 80},
	{match: ['sonarr'], tiers: ['backend', 'download'], role: 'arr', port: 8989},
	{match: ['radarr'], tiers: ['backend', 'download'], role: 'arr', port: 7878},
	{match: ['prowlarr'], tiers: ['backend', 'download'], role: 'arr', port: 9696},
	{match: ['lidarr'], tiers: ['backend', 'download'], role: 'arr', port: 8686},
	{match: ['readarr'], tiers: ['backend', 'download'], role: 'arr', port: 8787},
	{match: ['bazarr'], tiers: ['backend'], port: 6767},
	{match: ['gluetun', 'wireguard', 'openvpn', 'vpn'], tiers: ['download'], role: 'vpn'},
	{match: ['qbittorrent'], tiers: ['download'], role: 'download-client', port: 8080},
	{match: ['transmission'], tiers: ['download'], role: 'download-client', port: 9091},
	{match: ['deluge'], tiers: ['download'], role: 'download-client', port: 8112},
	{match: ['sabnzbd', 'nzbget'], tiers: ['download'], role: 'download-client', port: 8080},
	{match: ['prometheus', 'victoriametrics'], tiers: ['mgmt', 'frontend', 'backend', 'download'], port: 9090},
	{match: ['grafana'], tiers: ['mgmt', 'frontend'], port: 3000},
	{match: ['autoheal'], tiers: ['download', 'mgmt']},
	{match: ['cadvisor'], tiers: ['mgmt'], port: 8080},
	{match: ['node-exporter', 'node_exporter'], tiers: ['mgmt'], port: 9100},
	{match: ['alertmanager'], tiers: ['mgmt'], port: 9093},
	{match: ['dozzle', 'portainer', 'watchtower', 'loki', 'promtail', 'uptime-kuma'], tiers: ['mgmt']},
	{match: ['authelia', 'authentik', 'crowdsec', 'fail2ban'], tiers: ['security']},
];

/** Allow-list variables of VPN containers: gluetun's, and LOCAL_NETWORK of others. */
const allowListVariables = ['FIREWALL_OUTBOUND_SUBNETS', 'LOCAL_NETWORK'];

export type DraftInput = {
	project: ComposeModel;
	legacy: string;
	/** Subnets already taken: engine networks and host routes. */
	usedSubnets: string[];
	/** Image per service, from the running containers where known. */
	images?: Map<string, string>;
	rules?: TierRule[];
	pool?: string;
	composeFiles: string[];
	stackRoot: string;
};

type Classified = {service: ServiceModel; rule?: TierRule; tiers: Tier[]};

export function classify(service: ServiceModel, rules: TierRule[], image?: string): TierRule | undefined {
	const haystacks = [imageName(image ?? service.image ?? ''), service.name, String(service.config.container_name ?? '')].map((text) => text.toLowerCase());
	for (const rule of rules) {
		if (rule.match.some((keyword) => haystacks.some((text) => text === keyword || text.split(/[-_/.]/).includes(keyword) || text.startsWith(`${keyword}-`)))) return rule;
	}
	return undefined;
}

function imageName(image: string): string {
	const withoutTag = image.replace(/@.*$/, '').replace(/:[^/]*$/, '');
	return withoutTag.split('/').at(-1) ?? withoutTag;
}

/** The port a service serves: its published target, its healthcheck URL, `expose`, or the table's. */
export function servicePort(service: ServiceModel, rule?: TierRule): number | undefined {
	const ports = service.config.ports;
	if (Array.isArray(ports) && ports.length > 0) {
		const first = ports[0];
		const target = typeof first === 'object' && first ? Number((first as {target?: unknown}).target) : Number(String(first).replace(/\/\w+$/, '').split(':').at(-1));
		if (Number.isInteger(target) && target > 0) return target;
	}
	const test = (service.config.healthcheck as {test?: unknown} | undefined)?.test;
	const url = /https?:\/\/(?:127\.0\.0\.1|localhost|0\.0\.0\.0)?:(\d+)/.exec(Array.isArray(test) ? test.join(' ') : String(test ?? ''));
	if (url) return Number(url[1]);
	const expose = service.config.expose;
	if (Array.isArray(expose) && expose.length > 0) return Number(String(expose[0]).split('/')[0]);
	return rule?.port;
}

export type DraftResult = {text: string; unclassified: string[]; networks: Record<string, {subnet: string; internal: boolean}>};

export function draftTieredPlan(input: DraftInput): DraftResult {
	const rules = input.rules ?? defaultTierRules;
	const services = [...input.project.services.values()];
	const classified: Classified[] = services.map((service) => {
		const rule = classify(service, rules, input.images?.get(service.name));
		return {service, ...(rule ? {rule} : {}), tiers: rule?.tiers ?? []};
	});
	const own = classified.filter((entry) => !entry.service.namespaceOf && !entry.service.namespaceContainer && !entry.service.networkModeOther);
	// A service in another's namespace (qbittorrent in gluetun's) brings its tiers to the owner.
	for (const entry of classified) {
		if (!entry.service.namespaceOf) continue;
		const owner = own.find((candidate) => candidate.service.name === namespaceOwner(input.project, entry.service.name));
		if (owner) owner.tiers = [...new Set([...owner.tiers, ...entry.tiers])];
	}
	const usedTiers = tierOrder.filter((tier) => own.some((entry) => entry.tiers.includes(tier)));
	const networks = pickSubnets(usedTiers.map((tier) => `${tier}-net`), input);
	const tierNetwork = (tier: Tier) => `${tier}-net`;

	const lines = planHeader(input, [
		`netmigrate plan drafted by \`netmigrate init\` from project ${input.project.projectName}.`,
		'Review every line: tiers come from a table of well-known images, subnets were picked',
		'free of the engine\'s networks and the host\'s routes. `netmigrate plan` shows the dry run.',
	]);
	const width = Math.max(...Object.keys(networks).map((name) => name.length), 0) + 1;
	for (const tier of usedTiers) {
		const name = tierNetwork(tier);
		const network = networks[name] as {subnet: string; internal: boolean};
		const body = `{ subnet: ${network.subnet}${network.internal ? ', internal: true' : ''} }`;
		lines.push(`  ${`${name}:`.padEnd(width)} ${body.padEnd(42)} # ${tierPurpose[tier]}`);
	}
	lines.push('');
	lines.push('iterations:');
	lines.push('  - name: network-foundation');
	lines.push('    # Every service keeps the legacy network; new networks are added beside it.');
	lines.push('    attach:');
	const attachWidth = Math.max(...own.map((entry) => entry.service.name.length), 0) + 1;
	for (const entry of own) {
		if (entry.tiers.length === 0) continue;
		const ordered = tierOrder.filter((tier) => entry.tiers.includes(tier));
		lines.push(`      ${`${entry.service.name}:`.padEnd(attachWidth)} [${ordered.map(tierNetwork).join(', ')}]`);
	}
	const unclassified = own.filter((entry) => entry.tiers.length === 0).map((entry) => entry.service.name);
	for (const name of unclassified) lines.push(`      # ${name}: not in the table of well-known images — assign its networks by hand`);
	for (const entry of classified) {
		if (entry.service.namespaceOf) lines.push(`      # ${entry.service.name} shares ${entry.service.namespaceOf}'s network namespace and follows it`);
	}

	const firewall = firewallEntries(own, networks);
	if (firewall.length > 0) {
		lines.push('    firewall:');
		lines.push('      # The VPN\'s allow-list must let the new networks through, or its clients see timeouts/403s.');
		for (const rule of firewall) lines.push(`      - { service: ${rule.service}, variable: ${rule.variable}, ensure: [${rule.ensure.join(', ')}] }`);
	}

	const checks = draftChecks(classified, input.project, tierNetwork);
	if (checks.length > 0) {
		lines.push('    checks:');
		for (const check of checks) lines.push(`      - { from: ${check.from}, to: "${check.to}", via: ${check.via} }${check.why ? `  # ${check.why}` : ''}`);
	}
	return {text: `${lines.join('\n')}\n`, unclassified, networks};
}

function pickSubnets(names: string[], input: DraftInput): Record<string, {subnet: string; internal: boolean}> {
	const used = [...input.usedSubnets];
	const result: Record<string, {subnet: string; internal: boolean}> = {};
	for (const name of names) {
		const subnet = nextFreeSubnet(input.pool ?? '172.20.0.0/14', 24, used) ?? nextFreeSubnet('10.240.0.0/12', 24, used);
		if (!subnet) throw new Error('no free /24 left in 172.20.0.0/14 or 10.240.0.0/12');
		used.push(subnet);
		result[name] = {subnet, internal: internalTiers.has(name.replace(/-net$/, '') as Tier)};
	}
	return result;
}

/** One `ensure` covering every new subnet: their common /16 when they share one, else each. */
export function coveringRanges(subnets: string[]): string[] {
	const sixteens = [...new Set(subnets.map((subnet) => `${subnet.split('.').slice(0, 2).join('.')}.0.0/16`))];
	return sixteens.length <= 2 ? sixteens : subnets;
}

function firewallEntries(own: Classified[], networks: Record<string, {subnet: string}>): Array<{service: string; variable: string; ensure: string[]}> {
	const ensure = coveringRanges(Object.values(networks).map((network) => network.subnet));
	const entries: Array<{service: string; variable: string; ensure: string[]}> = [];
	for (const entry of own) {
		const variable = allowListVariables.find((name) => entry.service.environment.some((item) => item.key === name));
		if (!variable) continue;
		const current = entry.service.environment.find((item) => item.key === variable)?.value ?? '';
		const covered = current.split(',').map((item) => parseCidr(item.trim())).filter((cidr) => cidr !== undefined);
		const missing = ensure.filter((range) => {
			const wanted = parseCidr(range);
			return !wanted || !covered.some((cidr) => contains(cidr, wanted));
		});
		if (missing.length > 0) entries.push({service: entry.service.name, variable, ensure: missing});
	}
	return entries;
}

type DraftCheck = {from: string; to: string; via: string; why?: string};

function draftChecks(classified: Classified[], project: ComposeModel, tierNetwork: (tier: Tier) => string): DraftCheck[] {
	const checks: DraftCheck[] = [];
	const seen = new Set<string>();
	const tiersOf = (name: string) => classified.find((entry) => entry.service.name === namespaceOwner(project, name))?.tiers ?? [];
	const add = (from: Classified, to: Classified, why: string) => {
		const port = servicePort(to.service, to.rule);
		if (port === undefined || from.service.name === to.service.name) return;
		// The target's own tiers in its table order: prometheus is mgmt first, so grafana reaches it via mgmt-net.
		const common = tiersOf(to.service.name).find((tier) => tiersOf(from.service.name).includes(tier) && tier !== 'dmz');
		if (!common) return;
		const key = `${from.service.name}->${to.service.name}`;
		if (seen.has(key)) return;
		seen.add(key);
		checks.push({from: from.service.name, to: `${to.service.name}:${port}`, via: tierNetwork(common), why});
	};
	const proxies = classified.filter((entry) => entry.rule?.role === 'proxy');
	for (const proxy of proxies) {
		for (const entry of classified) if (entry.tiers.includes('frontend') && !entry.service.namespaceOf) add(proxy, entry, 'proxied');
	}
	for (const entry of classified) {
		if (entry.service.namespaceOf) continue;
		for (const dependency of entry.service.dependsOn) {
			const target = classified.find((candidate) => candidate.service.name === dependency);
			if (target) add(entry, target, 'depends_on');
		}
	}
	const clients = classified.filter((entry) => entry.rule?.role === 'download-client');
	for (const entry of classified) {
		if (entry.rule?.role !== 'arr') continue;
		for (const client of clients) add(entry, client, 'sends downloads');
	}
	return checks;
}

export type PerAppInput = DraftInput & {groups?: Record<string, string[]>};

/**
 * Reference 004's model: each app gets its own network with the services it depends on
 * attached; apps named in a group share the group's network. The reverse proxy joins every
 * app network so it can route to each.
 */
export function draftPerAppPlan(input: PerAppInput): DraftResult {
	const rules = input.rules ?? defaultTierRules;
	const services = [...input.project.services.values()].filter((service) => !service.namespaceOf && !service.namespaceContainer && !service.networkModeOther);
	const roles = new Map(services.map((service) => [service.name, classify(service, rules, input.images?.get(service.name))]));
	const proxies = services.filter((service) => ['proxy', 'tunnel'].includes(roles.get(service.name)?.role ?? ''));
	const dependencies = new Set(services.flatMap((service) => service.dependsOn));
	const apps = services.filter((service) => !proxies.includes(service) && !(dependencies.has(service.name) && !service.config.ports));
	const groupOf = new Map<string, string>();
	for (const [group, members] of Object.entries(input.groups ?? {})) for (const member of members) groupOf.set(member, group);
	const networkOf = (app: string) => `${groupOf.get(app) ?? app}-net`;
	const networkNames = [...new Set(apps.map((app) => networkOf(app.name)))];
	const networks = pickSubnets(networkNames, input);

	const members = new Map<string, Set<string>>();
	const join = (service: string, network: string) => {
		const set = members.get(service) ?? new Set<string>();
		set.add(network);
		members.set(service, set);
	};
	for (const app of apps) {
		join(app.name, networkOf(app.name));
		for (const dependency of app.dependsOn) join(namespaceOwner(input.project, dependency), networkOf(app.name));
		for (const proxy of proxies.filter((candidate) => roles.get(candidate.name)?.role === 'proxy')) join(proxy.name, networkOf(app.name));
	}

	const lines = planHeader(input, [
		`netmigrate plan drafted by \`netmigrate init --preset per-app\` from project ${input.project.projectName}.`,
		'One network per app with the services it depends on attached (reference 004); apps in a',
		'group share its network. The reverse proxy joins every app network to route to it.',
	]);
	for (const name of networkNames) lines.push(`  ${name}: { subnet: ${(networks[name] as {subnet: string}).subnet} }`);
	lines.push('');
	lines.push('iterations:');
	lines.push('  - name: per-app-networks');
	lines.push('    attach:');
	for (const [service, set] of members) lines.push(`      ${service}: [${[...set].join(', ')}]`);
	const checks: string[] = [];
	for (const app of apps) {
		const port = servicePort(app, roles.get(app.name));
		for (const proxy of proxies.filter((candidate) => roles.get(candidate.name)?.role === 'proxy')) {
			if (port !== undefined) checks.push(`      - { from: ${proxy.name}, to: "${app.name}:${port}", via: ${networkOf(app.name)} }`);
		}
		for (const dependency of app.dependsOn) {
			const target = input.project.services.get(dependency);
			const targetPort = target ? servicePort(target, roles.get(dependency)) : undefined;
			if (targetPort !== undefined) checks.push(`      - { from: ${app.name}, to: "${dependency}:${targetPort}", via: ${networkOf(app.name)} }`);
		}
	}
	if (checks.length > 0) lines.push('    checks:', ...checks);
	return {text: `${lines.join('\n')}\n`, unclassified: [], networks: Object.fromEntries(Object.entries(networks).map(([name, value]) => [name, {...value, internal: false}]))};
}

/** The comment, `version`, `stack` and `legacy` lines every drafted plan starts with, up to `networks:`. */
function planHeader(input: DraftInput, comment: string[]): string[] {
	return [
		...comment.map((line) => `# ${line}`),
		'version: 1',
		'stack:',
		`  root: ${yamlString(input.stackRoot)}`,
		`  files: [${input.composeFiles.map(yamlString).join(', ')}]`,
		`  project: ${yamlString(input.project.projectName)}`,
		`legacy: ${yamlString(input.legacy)}`,
		'',
		'networks:',
	];
}

function yamlString(text: string): string {
	return /^[A-Za-z0-9_./-]+$/.test(text) ? text : JSON.stringify(text);
}
