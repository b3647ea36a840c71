/**
 * The port a service listens on, from what the stack itself says first: the proxy's labels
 * (the port the owner told traefik or caddy to use), the service's own port variable
 * (`WEBUI_PORT`), its healthcheck URL, the image's known default, then the container side
 * of its published TCP ports. A generic guess (`:80`, `:8080`) is what made checks probe
 * nzbget on 8080 (it listens on 6789) and homepage on 80 (3000).
 */
import {portEntries} from '../compose/ports.js';
import type {ServiceModel} from '../compose/project.js';
import type {CatalogEntry} from './catalog.js';

export type PortSource = 'proxy label' | 'port variable' | 'healthcheck' | 'image default' | 'published port' | 'expose';

export type ListeningPort = {port: number; source: PortSource};

export function listeningPort(service: ServiceModel, entry?: CatalogEntry): ListeningPort | undefined {
	const fromLabel = labelPort(service.labels);
	if (fromLabel) return {port: fromLabel, source: 'proxy label'};
	const variables = [entry?.portVariable, 'WEBUI_PORT'].filter((name): name is string => Boolean(name));
	for (const name of variables) {
		const value = Number(service.environment.find((item) => item.key === name)?.value);
		if (validPort(value)) return {port: value, source: 'port variable'};
	}
	const fromHealthcheck = healthcheckPort(service.config.healthcheck);
	if (fromHealthcheck) return {port: fromHealthcheck, source: 'healthcheck'};
	const fallback = entry?.ports[0];
	if (fallback) return {port: fallback, source: 'image default'};
	const published = containerPorts(service.config.ports)[0];
	if (published) return {port: published, source: 'published port'};
	const exposed = containerPorts(service.config.expose)[0];
	if (exposed) return {port: exposed, source: 'expose'};
	return undefined;
}

/** `traefik.http.services.<name>.loadbalancer.server.port`, or caddy-docker-proxy's `{{upstreams 8080}}`. */
export function labelPort(labels: Record<string, string>): number | undefined {
	for (const [key, value] of Object.entries(labels)) {
		if (/^traefik\.(http|tcp)\.services\.[^.]+\.loadbalancer\.server\.port$/.test(key) && validPort(Number(value)))
			return Number(value);
	}
	for (const [key, value] of Object.entries(labels)) {
		if (!/^caddy(_\d+)?\.reverse_proxy$/.test(key)) continue;
		const upstream = /\{\{\s*upstreams\s+(?:https?\s+)?(\d+)\s*\}\}/.exec(value);
		if (upstream && validPort(Number(upstream[1]))) return Number(upstream[1]);
	}
	return undefined;
}

/** `http://localhost:8096/health`, `curl -f 127.0.0.1:9696/ping`, `wget … http://0.0.0.0:3000`. */
export function healthcheckPort(healthcheck: unknown): number | undefined {
	const test = (healthcheck as {test?: unknown} | undefined)?.test;
	const text = Array.isArray(test) ? test.join(' ') : String(test ?? '');
	const match = /(?:https?:\/\/)?(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):(\d+)/.exec(text);
	return match && validPort(Number(match[1])) ? Number(match[1]) : undefined;
}

/** The container side of `ports:`/`expose:` entries, TCP only: a UDP port never answers an HTTP check. */
export function containerPorts(value: unknown): number[] {
	// A range (`6881-6889`) names no single UI port.
	return portEntries(value)
		.filter((entry) => entry.protocol === 'tcp' && /^\d+$/.test(entry.target) && validPort(Number(entry.target)))
		.map((entry) => Number(entry.target));
}

/** Host ports a service publishes for a container port (for unpublishing what the proxy now serves). */
export function publishedFor(value: unknown, containerPort: number): string[] {
	return portEntries(value)
		.filter((entry) => entry.protocol === 'tcp' && Number(entry.target) === containerPort && entry.published !== undefined)
		.map((entry) => entry.published as string);
}

function validPort(value: number): boolean {
	return Number.isInteger(value) && value > 0 && value < 65_536;
}
