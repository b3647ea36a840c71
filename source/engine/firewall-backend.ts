/**
 * The engine's firewall backend, as `docker info` reports it (API 1.51+, Engine 28.2 and later:
 * `FirewallBackend: {Driver: "iptables" | "nftables" | "iptables+firewalld", Info: [[label, value]]}`).
 * Engine 29 can run on nftables, where the iptables isolation chains are gone (moby #49981);
 * preflight names that. Undefined on older engines, which report no such field (they use iptables).
 */
import type {Engine} from './docker.js';

export async function firewallBackend(engine: Engine): Promise<string | undefined> {
	const info = await engine.call(
		"reading the engine's settings",
		async () => (await engine.docker.info()) as {FirewallBackend?: {Driver?: unknown} | null},
	);
	const driver = info.FirewallBackend?.Driver;
	return typeof driver === 'string' && driver !== '' ? driver : undefined;
}
