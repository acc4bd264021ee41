// DescribeEndpoints: where clients should send requests — this endpoint itself.
import type { EngineContext } from '../context.js';
import type { Sdk, Wire } from '../types.js';

export function describeEndpoints(ctx: EngineContext): Wire<Sdk.DescribeEndpointsResponse> {
  return { Endpoints: [{ Address: ctx.endpointAddress, CachePeriodInMinutes: 1440 }] };
}
