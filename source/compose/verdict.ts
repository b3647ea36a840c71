/**
 * Compose's verdict on one compose file, for the parts of it netmigrate reads or edits: what
 * `docker compose config` refuses is refused here too, at its line, with the fix — a file that
 * is no mapping, an unknown top-level or service key (a misspelt `netwroks:` is not silently
 * ignored), a service name compose's schema does not allow (`^[a-zA-Z0-9._-]+$`), a service
 * network entry or a top-level network carrying a key the schema does not know (`environment`
 * under a network), `network_mode` together with `networks`, an `environment` that is neither a
 * list nor a map of scalars, and a `$` compose cannot interpolate (`${TZ`). Unset variables are
 * not errors: compose warns ("The "X" variable is not set. Defaulting to a blank string.") and
 * so does `unsetVariableWarnings`. The key lists are the Compose Specification's JSON schema's.
 */
import {isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type Pair, type YAMLMap} from 'yaml';
import type {Problem} from '../errors.js';
import {invalidTemplateAt, unsetVariables, type Variables} from './interpolate.js';
import type {ComposeFile} from './model.js';
import {whereOf} from './read.js';

const topLevelKeys = new Set(['version', 'name', 'include', 'services', 'networks', 'volumes', 'secrets', 'configs', 'models']);
const serviceKeys = new Set(
	(
		'develop deploy annotations attach build blkio_config cap_add cap_drop cgroup cgroup_parent command configs container_name cpu_count cpu_percent ' +
		'cpu_shares cpu_quota cpu_period cpu_rt_period cpu_rt_runtime cpus cpuset credential_spec depends_on device_cgroup_rules devices dns dns_opt ' +
		'dns_search domainname entrypoint env_file label_file environment expose extends external_links extra_hosts gpus group_add healthcheck hostname ' +
		'image init ipc isolation labels links logging mac_address mem_limit mem_reservation mem_swappiness memswap_limit network_mode models networks ' +
		'oom_kill_disable oom_score_adj pid pids_limit platform ports post_start pre_stop privileged profiles provider pull_policy pull_refresh_after ' +
		'read_only restart runtime scale security_opt shm_size secrets sysctls stdin_open stop_grace_period stop_signal storage_opt tmpfs tty ulimits ' +
		'use_api_socket user uts userns_mode volumes volumes_from working_dir'
	).split(' '),
);
const serviceNetworkKeys = new Set([
	'aliases',
	'interface_name',
	'ipv4_address',
	'ipv6_address',
	'link_local_ips',
	'mac_address',
	'driver_opts',
	'priority',
	'gw_priority',
]);
const networkKeys = new Set([
	'name',
	'driver',
	'driver_opts',
	'ipam',
	'external',
	'internal',
	'enable_ipv4',
	'enable_ipv6',
	'attachable',
	'labels',
]);
const ipamKeys = new Set(['driver', 'config', 'options']);
const ipamConfigKeys = new Set(['subnet', 'ip_range', 'gateway', 'aux_addresses']);
const serviceName = /^[a-zA-Z0-9._-]+$/;

const schemaHint = 'see the Compose file reference; `docker compose config` refuses this file too';

/** Every problem compose would refuse in this file, each at its line. */
export function composeFileProblems(compose: ComposeFile): Problem[] {
	const problems: Problem[] = [];
	const add = (node: Node | null | undefined, message: string, hint = schemaHint) =>
		problems.push({message, where: whereOf(compose, node ?? undefined), hint});
	const root = compose.document.contents as Node | null;
	if (isEmpty(root))
		return [
			{
				message: `${compose.path} is empty`,
				where: {file: compose.path, line: 1},
				hint: 'a compose file is a mapping with `services:`; remove it from the includes or fill it',
			},
		];
	if (!isMap(root))
		return [
			{
				message: `${compose.path} is not a mapping (it holds a ${isSeq(root) ? 'list' : 'single value'})`,
				where: whereOf(compose, root),
				hint: 'a compose file is a mapping with `services:`, `networks:`…; check that this is the file you meant',
			},
		];
	checkKeys(root, topLevelKeys, 'top-level key', add);
	const services = root.get('services', true) as Node | undefined;
	if (!isEmpty(services)) {
		if (!isMap(services)) add(services, '`services:` must be a mapping of service name to service');
		else for (const pair of services.items) checkService(pair, add);
	}
	const networks = root.get('networks', true) as Node | undefined;
	if (!isEmpty(networks)) {
		if (!isMap(networks)) add(networks, '`networks:` must be a mapping of network name to network');
		else for (const pair of networks.items) checkNetwork(pair, add);
	}
	problems.push(...templateProblems(compose));
	return problems;
}

type Add = (node: Node | null | undefined, message: string, hint?: string) => void;

/** No value to check: absent, an empty YAML value (`key:` with nothing after it, `~`, `null`), or an alias (checked where its anchor is). */
const isEmpty = (node: unknown): boolean => isAlias(node) || node === null || node === undefined || (isScalar(node) && node.value === null);

/** A key as written; a merge key (`<<`, which the parser holds as a symbol) as `<<`. */
const keyOf = (pair: Pair) => {
	const key = isScalar(pair.key) ? pair.key.value : pair.key;
	return typeof key === 'symbol' ? '<<' : String(key);
};

function checkKeys(map: YAMLMap, allowed: Set<string>, what: string, add: Add, context = ''): void {
	for (const pair of map.items) {
		const key = keyOf(pair);
		if (!allowed.has(key) && !key.startsWith('x-') && key !== '<<')
			add(
				pair.key as Node,
				`${context}unknown ${what} \`${key}\` (compose's schema allows no such key here)`,
				`remove or fix \`${key}\` (${[...allowed].slice(0, 6).join(', ')}… are allowed)`,
			);
	}
}

function checkService(pair: Pair, add: Add): void {
	const name = keyOf(pair);
	if (!serviceName.test(name))
		add(
			pair.key as Node,
			`service name ${JSON.stringify(name)} is not one compose allows (letters, digits, \`.\`, \`_\`, \`-\` only)`,
			'rename the service (and every reference to it)',
		);
	const service = pair.value as Node | null;
	if (!isMap(service)) {
		add(
			(service ?? pair.key) as Node,
			`service ${JSON.stringify(name)} must be a mapping (it is ${isEmpty(service) ? 'empty' : 'a single value or a list'})`,
			'give the service its keys (`image:`…), or remove it',
		);
		return;
	}
	checkKeys(service, serviceKeys, 'service key', add, `service ${name}: `);
	const networks = service.get('networks', true) as Node | undefined;
	if (!isEmpty(networks) && service.has('network_mode'))
		add(
			service.get('network_mode', true) as Node,
			`service ${name} sets both \`network_mode\` and \`networks\`, which compose refuses`,
			'keep one: `network_mode` shares another namespace, `networks` joins networks',
		);
	if (isMap(networks)) {
		for (const entry of networks.items) {
			const value = entry.value as Node | null;
			if (isEmpty(value)) continue;
			if (!isMap(value)) add(value, `service ${name}: network ${keyOf(entry)} must be empty or a mapping (aliases, ipv4_address…)`);
			else {
				checkKeys(value, serviceNetworkKeys, 'key in a service network entry', add, `service ${name}, network ${keyOf(entry)}: `);
				const aliases = value.get('aliases', true) as Node | undefined;
				if (!isEmpty(aliases) && !isSeq(aliases))
					add(aliases, `service ${name}, network ${keyOf(entry)}: \`aliases\` must be a list`, 'write it as `aliases: [name]`');
			}
		}
	} else if (!isEmpty(networks) && !isSeq(networks)) add(networks, `service ${name}: \`networks\` must be a list or a mapping`);
	const environment = service.get('environment', true) as Node | undefined;
	if (!isEmpty(environment)) {
		if (isMap(environment)) {
			for (const entry of environment.items)
				if (keyOf(entry) !== '<<' && !isEmpty(entry.value) && !isScalar(entry.value) && !isAlias(entry.value))
					add(
						entry.value as Node,
						`service ${name}: environment ${keyOf(entry)} must be a string, number or boolean`,
						'quote the value as one string',
					);
		} else if (!isSeq(environment))
			add(
				environment,
				`service ${name}: \`environment\` must be a list (\`- KEY=value\`) or a mapping (\`KEY: value\`)`,
				'write each variable on its own line',
			);
	}
}

function checkNetwork(pair: Pair, add: Add): void {
	const name = keyOf(pair);
	const network = pair.value as Node | null;
	if (isEmpty(network)) return;
	if (!isMap(network)) {
		add(network, `network ${name} must be empty or a mapping`);
		return;
	}
	checkKeys(network, networkKeys, 'network key', add, `network ${name}: `);
	const ipam = network.get('ipam', true) as Node | undefined;
	if (isEmpty(ipam)) return;
	if (!isMap(ipam)) return add(ipam, `network ${name}: \`ipam\` must be a mapping`);
	checkKeys(ipam, ipamKeys, 'ipam key', add, `network ${name}: `);
	const config = ipam.get('config', true) as Node | undefined;
	if (isEmpty(config)) return;
	if (!isSeq(config)) return add(config, `network ${name}: \`ipam.config\` must be a list`, 'write it as `config:` then `- subnet: …`');
	for (const item of config.items) {
		if (isMap(item)) checkKeys(item, ipamConfigKeys, 'ipam config key', add, `network ${name}: `);
		else add(item as Node, `network ${name}: an \`ipam.config\` entry must be a mapping (subnet, gateway…)`);
	}
}

/** Every `$` compose cannot interpolate, in the values of the file (keys are not interpolated). */
function templateProblems(compose: ComposeFile): Problem[] {
	const problems: Problem[] = [];
	visit(compose.document as Document, {
		Scalar(key, node) {
			if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
			const offset = invalidTemplateAt(node.value);
			if (offset === undefined) return;
			const bad = node.value.slice(offset, offset + 12);
			problems.push({
				message: `invalid interpolation \`${bad}\`: compose refuses it ("Invalid template")`,
				where: whereOf(compose, node),
				hint: 'close the reference (`${NAME}`, `${NAME:-default}`), or write `$$` for a literal `$`',
			});
		},
	});
	return problems;
}

/** Compose's own warning for each variable used without a default that nothing sets, once per name. */
export function unsetVariableWarnings(compose: ComposeFile, variables: Variables, seen: Set<string>): string[] {
	const warnings: string[] = [];
	visit(compose.document as Document, {
		Scalar(key, node) {
			if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
			for (const name of unsetVariables(node.value, variables)) {
				if (seen.has(name)) continue;
				seen.add(name);
				warnings.push(`The "${name}" variable is not set. Defaulting to a blank string.`);
			}
		},
	});
	return warnings;
}
