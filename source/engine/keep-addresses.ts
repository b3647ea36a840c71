/**
 * Recreates keep each container's addresses — an apply's (netmigrate was not asked to change
 * them) and a rollback's. Compose brings a recreated container back at whatever address the
 * engine's allocator hands out next (it pins none unless the stack says `ipv4_address`), and
 * peers that reach a service by address — an allow-list of one host, an app configured with an
 * IP, a firewall rule — would lose it. So such a recreate is two compose calls
 * (source/engine/compose.ts `recreateServices`, `beforeStart`): create without starting, then
 * this — each new container leaves every network where the iteration's backup recorded an
 * address the stack does not pin, and joins it again at that address, as compose configured it
 * (aliases, links, gateway priority, driver options, MAC) — then start. Done before the first
 * start, no process ever sees the interface change, and interfaces keep their names (eth0 is
 * still the first network): a reconnect of a running container would rename it, since the engine
 * numbers interfaces from a counter that only grows. Measured on Engine 28: compose's next
 * `up -d` recreates nothing (the address lives in the endpoint, not in what compose hashes). A
 * rollback's reconnect of a running container (the undoing of a detach) asks for the old address
 * the same way (source/kinds/network-connect.apply.ts): its interface is new in any case.
 *
 * The address is asked for in the endpoint's IPAM config, marked with the driver option
 * `keptAddressOption` so it never reads as a pin of the stack's; the next compose recreate drops
 * it as it drops any unpinned address. The engine refuses a requested address on a network
 * without a configured subnet ("user specified IP address is supported only when connecting to
 * networks with user configured subnets" — compose's default network is one) and one another
 * container took meanwhile: the container then joins as compose configured it, at the next free
 * address, and the rollback's verification counts it among the addresses that changed.
 */
import type {AddressBook, ContainerInfo, MembershipRecord, NetworkEndpoint, Target} from '../domain.js';
import {inPool} from '../pool.js';
import type {Engine} from './docker.js';
import {keptAddressOption} from './inspected.js';

/** The addresses a rollback gives back: the backup's book, and its record of what the stack pins. */
export type AddressesToKeep = {book: AddressBook; record?: MembershipRecord};

/** What a backup says to keep: nothing on a swarm, which gives each task its addresses anew, or from a backup that recorded none. */
export function addressesToKeep(
	backup: {addresses?: AddressBook; record?: MembershipRecord} | undefined,
	target: Target,
): AddressesToKeep | undefined {
	if (!backup?.addresses || target === 'swarm') return undefined;
	return {book: backup.addresses, ...(backup.record ? {record: backup.record} : {})};
}

/** Called between compose's create and start of `services`: each created container back at its recorded addresses. */
export function keepAddresses(
	engine: Engine,
	project: string,
	keep: AddressesToKeep,
	say?: (message: string) => void,
): (services: string[]) => Promise<void> {
	return async (services) => {
		const created = (await engine.listContainers(project)).filter(
			(container) => container.state === 'created' && container.service !== undefined && services.includes(container.service),
		);
		await inPool(created, 4, async (container) => {
			for (const endpoint of container.networks) {
				// Looked up by name; left and joined again under the key the engine has it by.
				const address = addressToKeep(container, {...endpoint, network: await networkName(engine, endpoint.network)}, keep);
				if (address) await rejoinAt(engine, container.name, endpoint, address, say);
			}
		});
	};
}

/**
 * A network's name: Engine 26 reports a container compose created but did not start yet on some
 * networks by the network's id (the key compose created it with), until the start.
 */
async function networkName(engine: Engine, network: string): Promise<string> {
	if (!/^[0-9a-f]{64}$/.test(network)) return network;
	return (await engine.inspectNetwork(network))?.name ?? network;
}

/**
 * Whether recreating `services` has an address to keep: the backup recorded one of their
 * containers at an address the stack does not pin, on any network — not only those it is on now:
 * a container the iteration detached comes back on its old network from the restored files.
 * Followers in another's namespace recorded none, and are recreated in one compose call as before.
 */
export async function anAddressToKeep(engine: Engine, project: string, services: string[], keep: AddressesToKeep): Promise<boolean> {
	const containers = (await engine.listContainers(project)).filter(
		(container) => container.service !== undefined && services.includes(container.service),
	);
	return containers.some((container) =>
		Object.keys(keep.book[container.slot ?? container.name] ?? {}).some((network) => addressToKeep(container, {network}, keep)),
	);
}

/** The address the container had on this network before, unless the stack pins one there (or it is already asked for). */
export function addressToKeep(
	container: ContainerInfo,
	endpoint: Pick<NetworkEndpoint, 'network' | 'pinnedIPv4'>,
	keep: AddressesToKeep,
): string | undefined {
	const name = container.slot ?? container.name;
	const address = keep.book[name]?.[endpoint.network];
	const pinned = keep.record?.[name]?.networks.find((item) => item.network === endpoint.network)?.ipv4Address;
	if (!address || pinned || endpoint.pinnedIPv4) return undefined;
	return address;
}

/** Off the network and on again at `address`; where the engine refuses it, on again as compose configured it. */
async function rejoinAt(
	engine: Engine,
	container: string,
	endpoint: NetworkEndpoint,
	address: string,
	say?: (message: string) => void,
): Promise<void> {
	try {
		await engine.disconnect(endpoint.network, container, true);
	} catch (error) {
		// Forced, since Engine 26 finds an endpoint a created container lists by network id no other way; should even that fail, left as compose made it.
		say?.(
			`${container} keeps the address the engine gives it on ${endpoint.network}: ${error instanceof Error ? error.message : String(error)}`,
		);
		return;
	}
	await connectKeeping(
		engine,
		endpoint.network,
		container,
		{
			aliases: endpoint.aliases,
			...(endpoint.pinnedIPv6 ? {ipv6: endpoint.pinnedIPv6} : {}),
			...(endpoint.gwPriority ? {gwPriority: endpoint.gwPriority} : {}),
			...endpoint.rest,
		},
		address,
		say,
	);
}

/**
 * Joins `network` at `address`, asked for as netmigrate's (marked `keptAddressOption`); where the
 * engine refuses it (no configured subnet, or taken), as configured, at the next free address.
 */
export async function connectKeeping(
	engine: Engine,
	network: string,
	container: string,
	options: Parameters<Engine['connect']>[2],
	address: string,
	say?: (message: string) => void,
): Promise<void> {
	try {
		await engine.connect(network, container, {
			...options,
			ipv4: address,
			driverOpts: {...options.driverOpts, [keptAddressOption]: address},
		});
	} catch (error) {
		say?.(
			`${container} cannot have ${address} back on ${network}: ${error instanceof Error ? error.message : String(error)}; it gets the next free address`,
		);
		await engine.connect(network, container, options);
	}
}
