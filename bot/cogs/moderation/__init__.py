"""The `moderation` feature: moderators curate claims, sources and the review queue from Discord.

One cog per command group, each in its own module: `claims` (/claim, with /claim version and
/claim source from `versions`), `entities` (/entity), `vocabulary` (/vocabulary), `topics`
(/topic), `sources` (/source), `queue` (/review) and `roles` (/modrole); `common` holds what
they share, `autocomplete` the ids they complete, and `confirm` the Confirm/Cancel buttons under
a change that warns.

Every command is hidden from non-moderators by `default_permissions`, and — because a server can
override that — also checked on every use (`common.check_access`, `bot.permissions`): changing
the claim base needs a curator of the workspace this server uses, handling this server's queue
needs one of its moderators. The work itself is done by `claims.curate.Curator` for this
server's workspace and queue, the same code the CLI uses, under the same validation and audit;
the cogs only turn interactions into calls and results into ephemeral replies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cogs.moderation.claims import Claims, claim_embed
from bot.cogs.moderation.common import CURATOR_COMMANDS, READER_COMMANDS
from bot.cogs.moderation.confirm import ConfirmView
from bot.cogs.moderation.entities import Entities
from bot.cogs.moderation.queue import Review
from bot.cogs.moderation.roles import ModeratorRole
from bot.cogs.moderation.sources import Sources
from bot.cogs.moderation.topics import Topics
from bot.cogs.moderation.vocabulary import Vocabulary

if TYPE_CHECKING:
    from bot.client import CrosscheckBot

COGS = (Claims, Entities, Vocabulary, Topics, Sources, Review, ModeratorRole)


async def setup(bot: CrosscheckBot) -> None:
    for cog in COGS:
        await bot.add_cog(cog(bot))


__all__ = ["COGS", "CURATOR_COMMANDS", "READER_COMMANDS", "ConfirmView", "claim_embed", "setup"]
