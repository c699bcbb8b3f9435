import { countryName } from '#core/countries'
import type Subprocessor from '#vendors/models/subprocessor'
import System from '#data_map/models/system'
import DataFlow from '#data_map/models/data_flow'

export interface GraphNode {
  data: { id: string; label: string; kind: 'system' | 'subprocessor' | 'country'; detail: string }
}
export interface GraphEdge {
  data: {
    id: string
    source: string
    target: string
    label: string
    kind: 'operates' | 'flow' | 'located'
  }
}

/**
 * Systems ↔ subprocessors ↔ countries as cytoscape elements. Edges: a subprocessor operates a
 * system; a data flow goes from a system to a subprocessor; a subprocessor (or a system run in
 * house) is located in a country.
 */
export async function dataMapGraph() {
  const systems = await System.query().preload('subprocessor').orderBy('code')
  const flows = await DataFlow.query().preload('subprocessor').orderBy('id')
  const nodes = new Map<string, GraphNode>()
  const edges = new Map<string, GraphEdge>()
  const node = (id: string, label: string, kind: GraphNode['data']['kind'], detail: string) => {
    if (!nodes.has(id)) nodes.set(id, { data: { id, label, kind, detail } })
    return id
  }
  const edge = (source: string, target: string, label: string, kind: GraphEdge['data']['kind']) => {
    const id = `${kind}:${source}->${target}`
    if (!edges.has(id)) edges.set(id, { data: { id, source, target, label, kind } })
  }
  const subprocessorNode = (sub: Subprocessor) =>
    node(`subprocessor:${sub.id}`, sub.name, 'subprocessor', sub.service)
  const country = (code: string) =>
    node(`country:${code}`, `${countryName(code)} (${code})`, 'country', code)

  // Flows first: their mechanism labels the subprocessor → country edge
  for (const flow of flows) {
    const sub = subprocessorNode(flow.subprocessor)
    edge(`system:${flow.systemId}`, sub, flow.name, 'flow')
    edge(sub, country(flow.destinationCountry), flow.transferMechanism, 'located')
  }
  for (const system of systems) {
    const systemId = node(`system:${system.id}`, system.name, 'system', system.kind)
    const where = country(system.locationCountry)
    if (system.subprocessor) {
      const sub = subprocessorNode(system.subprocessor)
      // A hosted system sits where its operator runs it: one edge each, not a line across the map
      edge(sub, systemId, 'operates', 'operates')
      edge(sub, where, 'hosts in', 'located')
    } else {
      edge(systemId, where, 'runs in', 'located')
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] }
}
