import { atom, computed, type Atom, type Signal } from 'tldraw'
import { ballotSize, type Ballot, type NameCount, type VoteState } from '../../core/facilitation.ts'
import { applyIntent } from '../../core/intents.ts'
import type { MessageKey } from '../i18n/messages.ts'
import type { BoardConnection } from '../sync/connection.ts'
import { intentErrorKey } from './intent-errors.ts'

/** The vote as this person sees it. */
export interface VoteView {
  status: VoteState['status']
  round: number
  /** True while the vote is open and this person may take part (not a viewer). */
  canVote: boolean
  mine: Ballot
  remaining: number
  votesPerPerson: number
  allowMultiplePerCard: boolean
  /** Whether totals are shown now: live, or once the vote is closed. */
  showResults: boolean
  results: Record<string, number>
  voters: number
  /** The cards the vote is on; null means every activity. */
  cardIds: ReadonlySet<string> | null
  /** A display name must go with every vote. */
  requireName: boolean
  /** Ballots per display name (how many, never for what), for the facilitator. */
  ballotsByName: NameCount[]
  isFacilitator: boolean
}

export type VoteMessage = { key: MessageKey; vars?: Record<string, string | number> }

/**
 * Casting and retracting this person's votes, and the vote's state for badges, the vote panel
 * and the vote tool. The rules are core's, run here first so an impossible vote is explained
 * without a round trip; the server runs them again and decides.
 */
export class VoteController {
  readonly view: Signal<VoteView>
  /** The outcome of the last cast or retract, for a live region. */
  readonly message: Atom<VoteMessage | null> = atom('voteMessage', null)

  constructor(
    private readonly connection: BoardConnection,
    private readonly titleOf: (cardId: string) => string,
    /** The name this person joined with, sent with each vote (the facilitator may require one). */
    private readonly voterName: () => string = () => '',
  ) {
    this.view = computed('vote view', () => {
      const vote = connection.facilitation.get().vote
      const { round, ballot } = connection.channel.ballot.get()
      const mine = round === vote.round ? ballot : {}
      return {
        status: vote.status,
        round: vote.round,
        canVote: vote.status === 'open' && connection.role !== 'viewer',
        mine,
        remaining: Math.max(0, vote.votesPerPerson - ballotSize(mine)),
        votesPerPerson: vote.votesPerPerson,
        allowMultiplePerCard: vote.allowMultiplePerCard,
        showResults: vote.status === 'closed' || (vote.status === 'open' && !vote.hideResultsUntilEnd),
        results: vote.results,
        voters: vote.voters,
        cardIds: vote.cardIds ? new Set(vote.cardIds) : null,
        requireName: vote.requireName ?? false,
        ballotsByName: vote.ballotsByName ?? [],
        isFacilitator: connection.role === 'facilitator',
      }
    })
  }

  isEligible(cardId: string): boolean {
    const ids = this.view.get().cardIds
    return !ids || ids.has(cardId)
  }

  /** Why a vote on this card cannot be cast now (a message key), or null if it can. */
  whyNot(type: 'vote.cast' | 'vote.retract', cardId: string): MessageKey | null {
    const outcome = applyIntent(
      {
        state: this.connection.facilitation.get(),
        role: this.connection.role,
        personId: this.connection.channel.personId.get() ?? 'unknown',
        ballot: this.view.get().mine,
        now: this.connection.channel.serverNow(),
        // Whether the card is on the board is the server's to judge (ours may include drafts).
        cardExists: () => true,
      },
      this.intent(type, cardId),
    )
    if (outcome.ok) return null
    return intentErrorKey(outcome.error)
  }

  private intent(type: 'vote.cast' | 'vote.retract', cardId: string) {
    const name = this.voterName().trim()
    return type === 'vote.cast' && name ? { type, cardId, name } : { type, cardId }
  }

  cast(cardId: string): Promise<void> {
    return this.run('vote.cast', cardId)
  }

  retract(cardId: string): Promise<void> {
    return this.run('vote.retract', cardId)
  }

  private async run(type: 'vote.cast' | 'vote.retract', cardId: string): Promise<void> {
    const title = this.titleOf(cardId)
    const refused = this.whyNot(type, cardId)
    if (refused) {
      this.message.set({ key: refused, vars: { title } })
      return
    }
    const result = await this.connection.channel.send(this.intent(type, cardId))
    if (!result.ok) {
      this.message.set({ key: intentErrorKey(result.error), vars: { title } })
      return
    }
    const remaining = this.view.get().remaining
    this.message.set({ key: type === 'vote.cast' ? 'vote.cast' : 'vote.retracted', vars: { title, remaining } })
  }
}
