// Flat lists with `parent_id` → trees, and walks over them. The server sends
// org units "parents before children" and only those in the caller's data
// scope, so a record whose parent is missing from the list (the top of what a
// 镇街 user sees) becomes a root of the tree.

export interface FlatNode {
  id: number
  parent_id: number | null
}

export type TreeNode<T> = T & { children: TreeNode<T>[] }

/** Builds the forest, keeping the list's order among siblings. */
export function buildTree<T extends FlatNode>(items: readonly T[]): TreeNode<T>[] {
  const byId = new Map<number, TreeNode<T>>()
  for (const item of items) byId.set(item.id, { ...item, children: [] })
  const roots: TreeNode<T>[] = []
  for (const item of items) {
    const node = byId.get(item.id)!
    const parent = item.parent_id === null ? undefined : byId.get(item.parent_id)
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** Depth-first, parents before children. */
export function* walkTree<T>(nodes: readonly TreeNode<T>[]): Generator<TreeNode<T>> {
  for (const node of nodes) {
    yield node
    yield* walkTree(node.children)
  }
}

/** The node with `id` somewhere in the forest. */
export function findNode<T extends FlatNode>(nodes: readonly TreeNode<T>[], id: number): TreeNode<T> | undefined {
  for (const node of walkTree(nodes)) if (node.id === id) return node
  return undefined
}

/** Ids of `node` and everything below it. */
export function subtreeIds<T extends FlatNode>(node: TreeNode<T>): Set<number> {
  const ids = new Set<number>()
  for (const n of walkTree([node])) ids.add(n.id)
  return ids
}

/**
 * The forest cut down to the nodes `keep` accepts plus their ancestors (a
 * search that still shows where each hit sits).
 */
export function filterTree<T>(nodes: readonly TreeNode<T>[], keep: (node: TreeNode<T>) => boolean): TreeNode<T>[] {
  const out: TreeNode<T>[] = []
  for (const node of nodes) {
    const children = filterTree(node.children, keep)
    if (children.length || keep(node)) out.push({ ...node, children })
  }
  return out
}
