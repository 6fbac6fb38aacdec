package dev.parley.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.ActorRole;
import dev.parley.schemas.ClaimState;
import dev.parley.schemas.DecisionStatus;
import dev.parley.schemas.EventDates;
import dev.parley.schemas.MeetingState;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Occurrence;
import dev.parley.schemas.Phase;
import dev.parley.schemas.PhaseStep;
import dev.parley.schemas.Quote;
import dev.parley.schemas.StatementGroup;
import dev.parley.schemas.StatementState;
import dev.parley.schemas.Standing;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed article (samples/ukraine-peace-2025.ndjson, from ../shared/seed/ukraine-talks-2025-12.fr.txt) through
 * the real topology, checked item by item against what the article says.
 */
class SeedArticleGoldenTest {

    @TempDir
    static Path stateDir;

    private static TopologyDriver topology;
    private static NegotiationStatus view;

    @BeforeAll
    static void foldTheArticle() {
        topology = new TopologyDriver(stateDir);
        view = topology.publish(SampleDevelopments.all()).statuses().get("ukraine-peace-2025");
    }

    @AfterAll
    static void close() {
        topology.close();
    }

    @Test
    void theUsProposalLedToConsultationsWithKyivThenDirectTalks() {
        assertThat(view.getPhase().getPhase()).isEqualTo(Phase.DIRECT_TALKS);
        assertThat(view.getPhase().getPath()).extracting(PhaseStep::getPhase)
                .containsExactly(Phase.PROPOSAL, Phase.CONSULTATIONS, Phase.DIRECT_TALKS);
        assertThat(view.getPhase().getPath()).extracting(PhaseStep::getDevelopmentId)
                .containsExactly("us-proposal", "kyiv-consultations", "moscow-meeting");
    }

    @Test
    void witkoffAndKushnerMetPutinInMoscow() {
        MeetingState moscow = meeting("Moscou");
        assertThat(moscow.getOccurrence()).isEqualTo(Occurrence.OCCURRED);
        assertThat(moscow.getParticipants()).extracting(a -> a.getName() + "/" + a.getParty())
                .containsExactlyInAnyOrder("Steve Witkoff/US", "Jared Kushner/US", "Vladimir Poutine/RU");
        assertThat(moscow.getParticipants()).filteredOn(a -> a.getName().equals("Steve Witkoff"))
                .extracting(a -> a.getRole()).containsExactly(ActorRole.ENVOY);
    }

    @Test
    void trumpCalledItVeryGoodButCouldNotAnnounceAConcreteResult() {
        List<StatementState> aboutMoscow = statements(meeting("Moscou").getSubject());
        assertThat(aboutMoscow).flatExtracting(StatementState::getQuotes).extracting(Quote::getText).contains("très bonne");
        assertThat(aboutMoscow).filteredOn(s -> s.getSpeakers().stream().anyMatch(a -> a.getName().equals("Donald Trump")))
                .extracting(StatementState::getSummary).anySatisfy(summary -> assertThat(summary).contains("résultat concret"));
    }

    @Test
    void followUpTalksAreScheduledInFloridaBetweenUmerovAndWitkoffWithKushner() {
        MeetingState florida = meeting("Floride");
        assertThat(florida.getOccurrence()).isEqualTo(Occurrence.SCHEDULED);
        assertThat(florida.getParticipants()).extracting(a -> a.getName() + "/" + a.getParty())
                .containsExactlyInAnyOrder("Roustem Oumerov/UA", "Steve Witkoff/US", "Jared Kushner/US");
    }

    @Test
    void moscowIsReadyToMeetAsMuchAsNecessary() {
        assertThat(view.getStatements()).flatExtracting(StatementGroup::getStatements).flatExtracting(StatementState::getQuotes)
                .extracting(Quote::getText).contains("autant que nécessaire");
        assertThat(view.getPositions()).filteredOn(p -> p.getParty().equals("RU") && p.getIssue().equals("further-talks")).hasSize(1);
    }

    @Test
    void pokrovskIsClaimedByRussiaPartlyConfirmedByDeepStateAndContestedByUkraine() {
        ClaimState pokrovsk = view.getClaims().stream().filter(c -> c.getClaim().contains("Pokrovsk")).findFirst().orElseThrow();
        assertThat(pokrovsk.getStanding()).isEqualTo(Standing.CONTESTED); // never stated as fact
        assertThat(pokrovsk.getStances()).extracting(s -> s.getParty() + ":" + s.getStance())
                .containsExactlyInAnyOrder("RU:ASSERTS", "independent:PARTIALLY_CONFIRMS", "UA:CONTESTS");
    }

    @Test
    void ushakovLinksMilitarySuccessesToTheMeeting() {
        assertThat(statements(meeting("Moscou").getSubject()))
                .filteredOn(s -> s.getSpeakers().stream().anyMatch(a -> a.getName().equals("Iouri Ouchakov")))
                .flatExtracting(StatementState::getQuotes).extracting(Quote::getText).contains("succès");
    }

    @Test
    void natoMembersBuyArmsAndTheEuPlansTwoYearsOfFinancing() {
        assertThat(view.getSupportMeasures()).extracting(m -> String.join(",", m.getParties())).containsExactly("NATO", "EU");
        assertThat(view.getSupportMeasures().get(1).getSummary()).contains("deux ans");
    }

    @Test
    void putinWarnsEuropeAndBritishOfficialsCriticiseIt() {
        assertThat(statements("statement:putin-warnings-europe")).extracting(s -> s.getSpeakers().get(0).getParty())
                .containsExactly("RU", "UK");
    }

    @Test
    void moscowsDemandOnDonetskIsAnOpenStickingPoint() {
        assertThat(view.getStickingPoints()).extracting(p -> p.getIssue()).containsExactly("territory:donetsk");
        assertThat(view.getPositions()).filteredOn(p -> p.getParty().equals("RU") && p.getIssue().equals("territory:donetsk"))
                .singleElement().satisfies(p -> assertThat(p.getSummary()).contains("concessions"));
    }

    @Test
    void theUnGeneralAssemblyAdoptedANonBindingResolutionOnDeportedChildren() {
        assertThat(view.getResolutions()).singleElement().satisfies(resolution -> {
            assertThat(resolution.getBinding()).isFalse();
            assertThat(resolution.getParties()).containsExactly("UN");
            assertThat(resolution.getSummary()).contains("« transférés ou déportés de force »");
        });
    }

    @Test
    void positionsContrastAndNoFormalDecisionWasAnnounced() {
        assertThat(view.getDecision().getStatus()).isEqualTo(DecisionStatus.NONE_ANNOUNCED);
        assertThat(statements("said:unattributed/peace-plan")).singleElement()
                .satisfies(s -> assertThat(s.getSummary()).contains("positions contrastées"));
        assertThat(view.getPositions()).extracting(p -> p.getParty()).contains("RU", "UA", "WEST", "NATO");
    }

    @Test
    void everythingHappenedInEarlyDecember2025AsTheArticleSays() {
        assertThat(view.getDevelopmentCount()).isEqualTo(SampleDevelopments.all().size());
        assertThat(EventDates.display(view.getCoveredFrom())).isEqualTo("early December 2025");
        assertThat(EventDates.display(view.getCoveredTo())).isEqualTo("early December 2025");
    }

    private static MeetingState meeting(String place) {
        return view.getMeetings().stream().filter(m -> place.equals(m.getPlace())).findFirst().orElseThrow();
    }

    private static List<StatementState> statements(String subject) {
        return view.getStatements().stream().filter(g -> g.getSubject().equals(subject)).findFirst().orElseThrow().getStatements();
    }
}
