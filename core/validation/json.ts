/**
 * Whether a value a client sent is plain JSON we can safely keep, walk and rebuild: the first
 * check on anything that came over the wire, so that every later check (tldraw's validators,
 * the record store's rebuild, exports) only ever sees bounded, prototype-free data.
 */

/** Property names that reach an object's prototype when assigned with `obj[key] = …`. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

export const isForbiddenKey = (key: string): boolean => FORBIDDEN_KEYS.has(key)

export interface JsonLimits {
  /** Nesting levels below the top object (a card's `props.tasks.x` is 2). */
  maxDepth: number
  /** Values in total (objects, arrays and leaves). */
  maxNodes: number
  /** Characters in total, of strings and property names. */
  maxChars: number
}

/**
 * Walks `value` iteratively (a deep value never overflows the stack) and stops at the first
 * problem, so the cost is bounded by the limits, not by the value. `undefined` is accepted as
 * an object property (an absent optional field: tldraw writes some, and Yjs carries them) but
 * nowhere else.
 */
export function jsonProblem(value: unknown, limits: JsonLimits, root = '(root)'): string | null {
  const stack: Item[] = [{ value, parent: null, key: root, depth: 0, inObject: false }]
  let nodes = 0
  let chars = 0
  while (stack.length > 0) {
    const item = stack.pop()!
    if (++nodes > limits.maxNodes) return `more than ${limits.maxNodes} values`
    const v = item.value
    const path = () => pathOf(item)
    switch (typeof v) {
      case 'string':
        chars += v.length
        if (chars > limits.maxChars) return `more than ${limits.maxChars} characters`
        continue
      case 'boolean':
        continue
      case 'number':
        if (!Number.isFinite(v)) return `${path()} is not a finite number`
        continue
      case 'undefined':
        if (item.inObject) continue
        return `${path()} is undefined`
      case 'object':
        break
      default:
        return `${path()} is a ${typeof v}, not JSON`
    }
    if (v === null) continue
    if (item.depth >= limits.maxDepth) return `${path()} is nested deeper than ${limits.maxDepth} levels`
    if (Array.isArray(v)) {
      // Holes and extra properties would not survive JSON; neither is anything a client writes.
      if (v.length > limits.maxNodes - nodes) return `more than ${limits.maxNodes} values`
      if (Object.keys(v).length !== v.length) return `${path()} is not a plain array`
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: item, key: i, depth: item.depth + 1, inObject: false })
      continue
    }
    // A decoder that assigns `obj['__proto__'] = …` changes the prototype instead of adding a
    // key, so checking the keys alone would miss it.
    const proto = Object.getPrototypeOf(v)
    if (proto !== Object.prototype && proto !== null) return `${path()} is not a plain object`
    for (const key of Reflect.ownKeys(v)) {
      if (typeof key !== 'string') return `${path()} has a symbol key`
      if (isForbiddenKey(key)) return `${path()} has a property named "${key}"`
      chars += key.length
      if (chars > limits.maxChars) return `more than ${limits.maxChars} characters`
      const descriptor = Object.getOwnPropertyDescriptor(v, key)!
      if (!('value' in descriptor)) return `${path()}.${key.slice(0, 40)} is an accessor`
      stack.push({ value: descriptor.value, parent: item, key, depth: item.depth + 1, inObject: true })
    }
  }
  return null
}

interface Item {
  value: unknown
  parent: Item | null
  key: string | number
  depth: number
  inObject: boolean
}

// Built only for the message of a refusal: building one per value would cost depth × key length each.
function pathOf(item: Item): string {
  const parts: string[] = []
  for (let at: Item | null = item; at; at = at.parent) {
    const key = typeof at.key === 'number' ? `[${at.key}]` : at.parent ? `.${at.key.slice(0, 40)}` : at.key
    parts.push(key)
  }
  return parts.reverse().join('')
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
