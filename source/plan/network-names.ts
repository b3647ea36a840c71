/**
 * What a drafted network is called: `<tier>-net`; but on an engine before 28 (`keepEgressByName`),
 * a tier with a way out whose name would sort before the legacy network's is named after it
 * (`media-network-dmz`): such an engine routes a container's egress through the first network by
 * name that is not internal, so joining `dmz-net` would move it off the legacy network.
 */
import type {DraftInput} from './draft-words.js';

export const networkOfTier = (tier: string): string => `${tier}-net`;

export function tierNetworkNamer(
	input: Pick<DraftInput, 'legacy' | 'keepEgressByName'>,
	internal: (tier: string) => boolean,
): (tier: string) => string {
	return (tier) => {
		const name = networkOfTier(tier);
		return input.keepEgressByName && !internal(tier) && name < input.legacy ? `${input.legacy}-${tier}` : name;
	};
}
