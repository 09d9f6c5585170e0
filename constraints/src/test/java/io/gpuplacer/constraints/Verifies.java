package io.gpuplacer.constraints;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a ConstraintVerifier test of one constraint, in its penalised or its unpenalised case. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Verifies {

    String value();

    boolean penalised();
}
