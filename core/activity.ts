import { T } from '@tldraw/validate'

/**
 * An activity: the fields a card carries. One definition for the canvas shape, the list view,
 * the server's exports and the CSV import. Labels for the enum values live in the i18n files.
 */
export const STATUSES = ['idea', 'planned', 'ongoing', 'done'] as const
export const TIMEFRAMES = ['', 'near', 'longer'] as const
export const COLLABORATIONS = ['', 'own', 'with-others'] as const

export type Status = (typeof STATUSES)[number]
export type Timeframe = (typeof TIMEFRAMES)[number]
export type Collaboration = (typeof COLLABORATIONS)[number]

/** A set of ids as an object, so that two people ticking different ids both keep theirs. */
export type IdSet = Record<string, true>

export interface Activity {
  title: string
  /** Intended result (önskat resultat). */
  description: string
  /** Sector id from the board's sector list, or '' when not yet set. */
  sector: string
  /** Responsible nämnd or unit, free text. */
  responsible: string
  /** Partners (samverkansparter), free text. */
  partners: string
  /** The municipality's own activity, or done with other actors. */
  collaboration: Collaboration
  timeframe: Timeframe
  year: number | null
  status: Status
  /** Berör barn och unga (children's rights, barnkonventionen). */
  childRights: boolean
  /** Main tasks (or priorities) the activity hits. */
  tasks: IdSet
  /** Action paths the activity hits. */
  paths: IdSet
}

export const LIMITS = { title: 200, text: 2000, year: { min: 2000, max: 2100 } } as const

const idSet = T.dict(T.string, T.literal(true as const))
const year = T.integer.nullable().check((y) => {
  if (y !== null && (y < LIMITS.year.min || y > LIMITS.year.max)) throw new Error(`year must be from ${LIMITS.year.min} to ${LIMITS.year.max}`)
})

export const activityProps = {
  title: T.string,
  description: T.string,
  sector: T.string,
  responsible: T.string,
  partners: T.string,
  collaboration: T.literalEnum(...COLLABORATIONS),
  timeframe: T.literalEnum(...TIMEFRAMES),
  year,
  status: T.literalEnum(...STATUSES),
  childRights: T.boolean,
  tasks: idSet,
  paths: idSet,
}

export function defaultActivity(): Activity {
  return {
    title: '',
    description: '',
    sector: '',
    responsible: '',
    partners: '',
    collaboration: '',
    timeframe: '',
    year: null,
    status: 'idea',
    childRights: false,
    tasks: {},
    paths: {},
  }
}

/** The ids in a set, in the order of `order` (ids not in it are dropped: deleted paths). */
export function idsIn(set: IdSet, order: readonly string[]): string[] {
  return order.filter((id) => set[id] === true)
}
