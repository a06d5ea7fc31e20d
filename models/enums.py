"""Fixed vocabularies as `str` enums, so they serialise as plain text in every table."""
from enum import Enum


class StrEnum(str, Enum):
    def __str__(self) -> str:  # f-strings and CSV writers show the value, not the member name
        return self.value


class DocStatus(StrEnum):
    OK = "ok"
    ERROR = "error"


class DocType(StrEnum):
    MINUTES = "poytakirja"
    MEMO = "muistio"
    AGENDA = "esityslista"
    OTHER = "other"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"


class MeetingRole(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    SECRETARY = "secretary"
    MEMBER = "member"
    DEPUTY = "deputy"
    PRESENTER = "presenter"
    MINUTES_CHECKER = "minutes_checker"
    OTHER = "other"


class Stage(StrEnum):
    PROPOSAL = "proposal"
    DECISION = "decision"


class Resolution(StrEnum):
    """Outcome classes after the labels of Helsinki's decision system."""
    APPROVED = "approved"                    # hyväksyttiin esityksen mukaisesti
    APPROVED_AFTER_VOTE = "approved_after_vote"
    AMENDED = "amended"                      # muutettu / täydennetty
    REJECTED = "rejected"                    # hylättiin
    NOTED = "noted"                          # merkittiin tiedoksi
    RETURNED = "returned"                    # palautettiin valmisteluun
    TABLED = "tabled"                        # pantiin pöydälle
    REMOVED = "removed"                      # poistettiin esityslistalta
    ELECTION = "election"                    # valittiin
    OTHER = "other"


class ErrorType(StrEnum):
    """Why a document could not be processed; each has a message telling the user what to do."""
    NOT_FOUND = "not_found"
    PERMISSION = "permission"
    EMPTY = "empty"
    UNSUPPORTED = "unsupported"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    NO_TEXT = "no_text"
    INTERNAL = "internal"
