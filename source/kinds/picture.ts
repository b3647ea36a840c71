/**
 * Finding things in the engine's picture (`Discovered`) for the kinds' `simulate`: shared by the
 * kinds that touch a container's networks or a swarm service.
 */
import type {Discovered, RunningContainer, SwarmService} from '../domain.js';

/** The service's container of that name, when the picture holds it (a dry run from the files alone may not). */
export function containersNamed(picture: Discovered, service: string, name: string): RunningContainer[] {
	return (picture.containers.get(service) ?? []).filter((container) => container.name === name);
}

/** A swarm service by its full name (`media_traefik`), with the short name the picture keys it by. */
export function swarmServiceNamed(picture: Discovered, fullName: string): [string, SwarmService] | undefined {
	return [...(picture.swarm ?? [])].find(([, service]) => service.name === fullName);
}
