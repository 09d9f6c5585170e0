package io.gpuplacer.constraints;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.SolverConfig;
import io.gpuplacer.model.Scenario;
import io.gpuplacer.model.domain.PlacementSolution;
import io.gpuplacer.model.domain.TaskAssignment;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Fails when a constraint lacks a penalised or an unpenalised verifier test, or the catalogue drifts. */
class ConstraintCoverageTest {

    private static Set<String> idConstants() throws IllegalAccessException {
        Set<String> ids = new HashSet<>();
        for (Field f : ConstraintIds.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                ids.add((String) f.get(null));
            }
        }
        return ids;
    }

    @Test
    void everyConstraintHasAPenalisedAndAnUnpenalisedTest() throws IllegalAccessException {
        Set<String> penalised = new HashSet<>();
        Set<String> unpenalised = new HashSet<>();
        List<Method> methods = new ArrayList<>(List.of(PlacementConstraintProviderTest.class.getDeclaredMethods()));
        methods.addAll(List.of(SoftConstraintTest.class.getDeclaredMethods()));
        methods.addAll(List.of(QueueConstraintTest.class.getDeclaredMethods()));
        for (Method m : methods) {
            Verifies v = m.getAnnotation(Verifies.class);
            if (v != null) {
                (v.penalised() ? penalised : unpenalised).add(v.value());
            }
        }
        assertThat(penalised).as("constraints with a penalised test").containsExactlyInAnyOrderElementsOf(idConstants());
        assertThat(unpenalised).as("constraints with an unpenalised test")
                .containsExactlyInAnyOrderElementsOf(idConstants());
    }

    @Test
    void everyPerTaskRuleOfTheSharedTableIsAConstraintOfTheCatalogue() throws IllegalAccessException {
        Set<String> ids = idConstants();
        for (io.gpuplacer.model.rules.TaskRule rule : io.gpuplacer.model.rules.TaskRule.values()) {
            org.assertj.core.api.Assertions.assertThat(ids).as(rule.name()).contains(rule.id());
        }
    }

    @Test
    void theCatalogueAndTheProviderNameTheSameConstraints() throws IllegalAccessException {
        Set<String> catalogue = ConstraintCatalogue.ENTRIES.stream().map(ConstraintCatalogue.Entry::id)
                .collect(Collectors.toSet());
        assertThat(catalogue).containsExactlyInAnyOrderElementsOf(idConstants());

        SolverFactory<PlacementSolution> factory = SolverFactory.create(new SolverConfig()
                .withSolutionClass(PlacementSolution.class)
                .withEntityClasses(TaskAssignment.class)
                .withConstraintProviderClass(PlacementConstraintProvider.class));
        Scenario s = Scenario.of(Scenario.job("x", Scenario.whole(1), 1, ""));
        var analysis = SolutionManager.<PlacementSolution, HardMediumSoftLongScore>create(factory)
                .analyze(s.solution);
        Set<String> defined = analysis.constraintMap().keySet().stream().map(ref -> ref.constraintName())
                .collect(Collectors.toSet());
        assertThat(defined).containsExactlyInAnyOrderElementsOf(catalogue);
    }
}
