/**
 * The proof for the compose model: `docker compose config --format json` (no daemon needed)
 * on the same files, with the same shell variables, reduced to what netmigrate relies on —
 * project name, active services, their networks, environment, published ports and
 * network_mode, and the declared networks' names and subnets.
 */
import {readFileSync} from 'node:fs';
import {execaSync} from 'execa';
import {parseEnvFile} from '../../source/compose/envfile.js';
import type {ComposeModel} from '../../source/compose/project.js';

export type ConfigShape = {
	name: string;
	services: Record<string, {networks: string[]; environment: Record<string, string>; ports: string[]; networkMode?: string}>;
	networks: Record<string, {name: string; subnets: string[]}>;
};

type ComposeService = {
	networks?: Record<string, unknown>;
	environment?: Record<string, string | null>;
	ports?: Array<{published?: string; protocol?: string}>;
	network_mode?: string;
};

/** Runs the real compose; throws (never skips) when the plugin is missing, so the proof cannot silently vanish. */
export function composeConfig(directory: string, args: string[], variables: Record<string, string> = {}): ConfigShape {
	const result = execaSync('docker', ['compose', ...args, 'config', '--format', 'json'], {
		cwd: directory,
		env: {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...variables},
		extendEnv: false,
		reject: false,
	});
	if (result.exitCode !== 0)
		throw new Error(
			`docker compose ${args.join(' ')} config failed (is the compose plugin installed?): ${result.stderr || result.message}`,
		);
	const config = JSON.parse(result.stdout) as {
		name: string;
		services: Record<string, ComposeService>;
		networks?: Record<string, {name: string; ipam?: {config?: Array<{subnet?: string}>}}>;
	};
	const services: ConfigShape['services'] = {};
	for (const [name, service] of Object.entries(config.services)) {
		services[name] = {
			networks: service.network_mode ? [] : Object.keys(service.networks ?? {}).sort(),
			environment: Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, value ?? ''])),
			ports: (service.ports ?? []).map((port) => `${port.published}/${port.protocol ?? 'tcp'}`).sort(),
			...(service.network_mode ? {networkMode: service.network_mode} : {}),
		};
	}
	const networks: ConfigShape['networks'] = {};
	for (const [key, network] of Object.entries(config.networks ?? {})) {
		networks[key] = {name: network.name, subnets: (network.ipam?.config ?? []).map((entry) => entry.subnet ?? '').filter(Boolean)};
	}
	return {name: config.name, services, networks};
}

/** The same shape from netmigrate's model: active services only, env files folded in under `environment:` as compose does. */
export function modelShape(model: ComposeModel, networkKeys: string[]): ConfigShape {
	const services: ConfigShape['services'] = {};
	for (const service of model.services.values()) {
		if (!service.active) continue;
		const environment: Record<string, string> = {};
		for (const file of service.envFiles)
			for (const entry of parseEnvFile(file, readFileSync(file, 'utf8')).entries.values()) environment[entry.key] = entry.value;
		for (const entry of service.environment) environment[entry.key] = entry.value ?? '';
		const networkMode = typeof service.config.network_mode === 'string' ? service.config.network_mode : undefined;
		services[service.name] = {
			networks: networkMode ? [] : [...service.networkKeys].sort(),
			environment,
			ports: (Array.isArray(service.config.ports) ? service.config.ports : []).map(portShape).sort(),
			...(networkMode ? {networkMode} : {}),
		};
	}
	const networks: ConfigShape['networks'] = {};
	for (const key of networkKeys) {
		const declared = model.declaredNetworks.get(key);
		if (declared) networks[key] = {name: declared.name, subnets: declared.subnets};
		else if (key === 'default') networks[key] = {name: `${model.projectName}_default`, subnets: []};
	}
	return {name: model.projectName, services, networks};
}

function portShape(port: unknown): string {
	if (port && typeof port === 'object') {
		const long = port as {published?: unknown; protocol?: string};
		return `${String(long.published)}/${long.protocol ?? 'tcp'}`;
	}
	const [mapping = '', protocol = 'tcp'] = String(port).split('/');
	const parts = mapping.split(':');
	return `${parts.length > 1 ? parts.at(-2) : parts[0]}/${protocol}`;
}
