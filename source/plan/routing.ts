/**
 * What the reverse proxy routes, so it joins those tiers and no others. Traefik's and
 * caddy-docker-proxy's routes are read from the services' labels, nginx-proxy's from their
 * `VIRTUAL_HOST`; a proxy configured
 * elsewhere (a file provider, nginx-proxy-manager's database) is assumed to serve the
 * user-facing web UIs the catalog knows, and the draft says so. A proxy that shares more
 * than one network with a routed service must be told which one to use
 * (`traefik.docker.network`), or it picks one and answers 502/504 from the wrong side.
 */
import type {ServiceModel} from '../compose/project.js';
import type {Placement, Route} from './draft-words.js';

/** Traefik routes a container it is told to: `traefik.enable=true` or a router of its own. */
export function routedByTraefik(labels: Record<string, string>): boolean {
	if (String(labels['traefik.enable'] ?? '').toLowerCase() === 'false') return false;
	return (
		String(labels['traefik.enable'] ?? '').toLowerCase() === 'true' ||
		Object.keys(labels).some((key) => /^traefik\.(http|tcp)\.(routers|services)\./.test(key))
	);
}

export function routedByCaddy(labels: Record<string, string>): boolean {
	return Object.keys(labels).some((key) => /^caddy(_\d+)?(\.|$)/.test(key));
}

/** nginx-proxy routes a container that sets `VIRTUAL_HOST` in its environment. */
export function routedByNginxProxy(service: ServiceModel): boolean {
	return service.environment.some((item) => item.key === 'VIRTUAL_HOST' && Boolean(item.value));
}

/** Whether the proxy of catalog id `kind` is told to route the service; undefined for a proxy configured elsewhere. */
function routedBy(kind: string | undefined, service: ServiceModel): boolean | undefined {
	if (kind === 'traefik') return routedByTraefik(service.labels);
	if (kind === 'caddy') return routedByCaddy(service.labels);
	if (kind === 'nginx-proxy') return routedByNginxProxy(service);
	return undefined;
}

/**
 * The tier a proxy reaches a service by: its user-facing tier when it has one, else the
 * first that is not monitoring or downloads (grafana is mgmt + frontend: the proxy uses frontend).
 */
export function routeTier(tiers: string[]): string | undefined {
	return tiers.find((tier) => tier === 'frontend') ?? tiers.find((tier) => tier !== 'mgmt' && tier !== 'download') ?? tiers[0];
}

export function routedServices(placements: Map<string, Placement>): {routes: Route[]; fromLabels: boolean} {
	const proxies = [...placements.values()].filter(
		(placement) => placement.status === 'assigned' && placement.identified?.entry.role === 'proxy',
	);
	const routes: Route[] = [];
	let fromLabels = false;
	for (const proxy of proxies) {
		const kind = proxy.identified?.entry.id;
		const labelled = [...placements.values()].filter((placement) => placement !== proxy && routedBy(kind, placement.service));
		fromLabels ||= labelled.length > 0;
		const targets = labelled.length > 0 ? labelled : [...placements.values()].filter((placement) => assumedRouted(placement, proxy));
		for (const target of targets) {
			const owner = placements.get(target.owner);
			if (!owner || owner === proxy || owner.status !== 'assigned') continue;
			const tier = routeTier(owner.tiers);
			if (!tier) continue;
			routes.push({
				proxy: proxy.service.name,
				service: target.service.name,
				owner: owner.service.name,
				tier,
				...(target.port ? {port: target.port} : {}),
			});
		}
	}
	return {routes, fromLabels};
}

/** Without labels: the catalog's web UIs that users open, not ops tools and not VPN namespaces. */
function assumedRouted(placement: Placement, proxy: Placement): boolean {
	const entry = placement.identified?.entry;
	if (placement === proxy || placement.status !== 'assigned' || !entry?.web) return false;
	return entry.role !== 'ops' && entry.role !== 'vpn' && entry.role !== 'proxy';
}
